namespace MLPipelines.Pipelines;

/// <summary>
/// Maps the <c>kind</c> of a pipeline method to its class. The core library registers its own kinds; other assemblies (the
/// TorchSharp trainer, for one) add theirs before pipelines are loaded.
/// </summary>
public static class PipelineMethodRegistry
{
    private static readonly Dictionary<string, Type> Kinds = new(StringComparer.Ordinal)
    {
        ["frozen-features"] = typeof(Methods.FrozenFeaturesMethod),
        ["pixel-baseline"] = typeof(Methods.PixelBaselineMethod),
    };

    /// <summary>Registers method kind <paramref name="kind"/> (idempotent for the same type).</summary>
    public static void Register<T>(string kind) where T : MethodDefinition
    {
        lock (Kinds)
        {
            if (Kinds.TryGetValue(kind, out var existing) && existing != typeof(T))
                throw new InvalidOperationException($"method kind '{kind}' is already registered to {existing.Name}");
            Kinds[kind] = typeof(T);
        }
    }

    /// <summary>A snapshot of the registered kinds.</summary>
    public static IReadOnlyDictionary<string, Type> All
    {
        get
        {
            lock (Kinds)
                return new Dictionary<string, Type>(Kinds);
        }
    }
}
