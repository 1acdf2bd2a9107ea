using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ImageRestoration.Tests;

/// <summary>
/// The core library's folders depend one way (lib/ImageRestoration/README.md):
/// each folder may use its own types and those of the folders below it, never
/// those of a folder above it or beside it. Checked on the compiled assembly,
/// so a fully qualified name or an inferred type counts as much as a using line.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Bottom first; folders on one line are side by side and do not use each other.</summary>
    public static readonly string[][] Layers =
    [
        [""], // the root: TorchRuntime, RepositoryRoot, AtomicFile
        ["Data"],
        ["Imaging"],
        ["Degradations", "Metrics"],
        ["Models"],
        ["Configuration"],
        ["Training"],
        ["Evaluation"],
        ["Baselines"],
        ["Studies"],
    ];

    [Fact]
    public void NoFolderUsesATypeOfAFolderAboveIt()
    {
        var violations = WrongWayReferences(typeof(TorchRuntime).Assembly.Location);

        Assert.True(violations.Count == 0,
            "Wrong-way references between the core's folders (a folder may only use the folders below it):" + Environment.NewLine +
            string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void TheCoreReferencesNoDisplayAssembly()
    {
        var references = typeof(TorchRuntime).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("TorchSharp", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Plotly", StringComparison.Ordinal) ||
                                                  name == "FSharp.Core" || name == "ImageRestoration.Display");
    }

    [Fact]
    public void EveryFolderOfTheCoreHasALayer()
    {
        using var assembly = AssemblyDefinition.ReadAssembly(typeof(TorchRuntime).Assembly.Location);
        var folders = assembly.MainModule.Types.Where(t => t.Namespace.StartsWith("ImageRestoration", StringComparison.Ordinal))
            .Select(t => Folder(t.Namespace)).Distinct();
        Assert.All(folders, f => Assert.True(Layer(f) >= 0, $"The folder '{f}' has no layer in {nameof(LayeringTests)}.{nameof(Layers)}."));
    }

    /// <summary>One line per (using type, used type) pair whose folders break <see cref="Layers"/>.</summary>
    public static List<string> WrongWayReferences(string assemblyPath)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var module = assembly.MainModule;
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = Folder(TopLevel(type).Namespace);
            if (Layer(from) < 0) continue; // <Module> and compiler-generated types outside a folder
            foreach (var used in UsedTypes(type))
            {
                if (!ReferenceEquals(used.Scope, module)) continue; // a type of another assembly
                var definition = used.Resolve();
                if (definition is null) continue;
                var to = Folder(TopLevel(definition).Namespace);
                if (to == from || Layer(to) < 0 || Layer(to) < Layer(from)) continue;
                violations.Add($"{Name(from)} -> {Name(to)}: {TopLevel(type).FullName} uses {TopLevel(definition).FullName}");
            }
        }
        return [.. violations];
    }

    /// <summary>The full names of the top-level types of this assembly that <paramref name="type"/> (and its nested types) use.</summary>
    public static IReadOnlySet<string> TypesUsedBy(Type type)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(type.Assembly.Location);
        var definition = assembly.MainModule.GetType(type.FullName);
        return definition.NestedTypes.Prepend(definition).SelectMany(UsedTypes)
            .Where(used => ReferenceEquals(used.Scope, assembly.MainModule))
            .Select(used => used.Resolve()).OfType<TypeDefinition>().Select(used => TopLevel(used).FullName).ToHashSet();
    }

    private static string Name(string folder) => folder.Length == 0 ? "(root)" : folder;

    private static string Folder(string ns) =>
        ns == "ImageRestoration" ? "" : ns.StartsWith("ImageRestoration.", StringComparison.Ordinal) ? ns["ImageRestoration.".Length..].Split('.')[0] : "?";

    private static int Layer(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder));

    private static TypeDefinition TopLevel(TypeDefinition type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    /// <summary>Every type a type's definition and code name: base type, interfaces, fields, signatures, attributes, locals and the operands of its instructions.</summary>
    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        IEnumerable<TypeReference> direct =
        [
            .. type.BaseType is null ? [] : new[] { type.BaseType },
            .. type.Interfaces.Select(i => i.InterfaceType),
            .. type.Fields.Select(f => f.FieldType),
            .. type.Properties.Select(p => p.PropertyType),
            .. type.Events.Select(e => e.EventType),
            .. type.GenericParameters.SelectMany(g => g.Constraints.Select(c => c.ConstraintType)),
            .. Attributes(type),
        ];
        return direct.Concat(type.Methods.SelectMany(MethodTypes)).SelectMany(Expand);
    }

    private static IEnumerable<TypeReference> MethodTypes(MethodDefinition method)
    {
        yield return method.ReturnType;
        foreach (var parameter in method.Parameters) yield return parameter.ParameterType;
        foreach (var attribute in Attributes(method)) yield return attribute;
        if (!method.HasBody) yield break;
        foreach (var local in method.Body.Variables) yield return local.VariableType;
        foreach (var handler in method.Body.ExceptionHandlers)
            if (handler.CatchType is not null) yield return handler.CatchType;
        foreach (var instruction in method.Body.Instructions)
            foreach (var used in OperandTypes(instruction))
                yield return used;
    }

    private static IEnumerable<TypeReference> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var parameter in method.Parameters) yield return parameter.ParameterType;
                if (method is GenericInstanceMethod generic)
                    foreach (var argument in generic.GenericArguments) yield return argument;
                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }

    private static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider provider) =>
        provider.CustomAttributes.Select(a => a.AttributeType);

    /// <summary>A type and the types inside it: element types of arrays and pointers, generic arguments, declaring types.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                foreach (var inner in Expand(generic.ElementType)) yield return inner;
                foreach (var argument in generic.GenericArguments)
                    foreach (var inner in Expand(argument))
                        yield return inner;
                break;
            case TypeSpecification specification: // arrays, by-ref, pointers, modifiers
                foreach (var inner in Expand(specification.ElementType)) yield return inner;
                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }
}
