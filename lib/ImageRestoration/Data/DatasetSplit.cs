namespace ImageRestoration.Data;

/// <summary>The two halves of an MNIST-family data set: 60,000 training and 10,000 test images for MNIST.</summary>
public enum DatasetSplit
{
    Train,
    Test,
}
