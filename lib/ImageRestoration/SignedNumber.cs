using System.Globalization;

namespace ImageRestoration;

/// <summary>
/// A difference written with its sign: "+0.52", "-1.30", and "0.00" when it
/// rounds to zero. .NET's "+0.00;-0.00" format writes a small negative value
/// that rounds to zero as "-+0.00"; this is the one place differences are written.
/// </summary>
public static class SignedNumber
{
    public static string Format(double value, int decimals)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded > 0 ? "+" + text : rounded < 0 ? "-" + text : text;
    }
}
