using MLPipelines.Catalog;
using MLPipelines.Pipelines;

namespace MLPipelines.Experiments;

/// <summary>A pipeline kind read from YAML that knows its file and checks its own settings.</summary>
public interface IExperimentDefinition : IPipeline
{
    /// <summary>Where the definition was read from (named in errors).</summary>
    string Origin { get; set; }

    /// <summary>Throws a one-line <see cref="PipelineException"/> naming <see cref="Origin"/> and the bad key.</summary>
    void Validate();
}

/// <summary>Parses experiment YAML (hyphenated keys, unknown keys rejected) into a checked definition.</summary>
public static class ExperimentYaml
{
    /// <summary>Parses <paramref name="yaml"/>; errors are <see cref="PipelineException"/>s naming <paramref name="origin"/> and the line.</summary>
    public static T Parse<T>(string yaml, string origin) where T : IExperimentDefinition
    {
        T definition;
        try
        {
            definition = CatalogYaml.Parse<T>(yaml, origin);
        }
        catch (CatalogException e)
        {
            throw new PipelineException(e.Message);
        }
        definition.Origin = origin;
        definition.Validate();
        return definition;
    }

    /// <summary>Throws a <see cref="PipelineException"/> "<paramref name="origin"/>: <paramref name="message"/>" unless <paramref name="ok"/>.</summary>
    public static void Require(string origin, bool ok, string message)
    {
        if (!ok) throw new PipelineException($"{origin}: {message}");
    }
}
