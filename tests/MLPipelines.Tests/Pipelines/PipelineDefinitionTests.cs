using MLPipelines.Pipelines;
using MLPipelines.Pipelines.Methods;
using MLPipelines.Training;

namespace MLPipelines.Tests.Pipelines;

public class PipelineDefinitionTests
{
    [Fact]
    public void Built_in_pipelines_parse_and_describe_the_pacs_experiments()
    {
        Assert.Contains("pacs-fewshot", PipelineKinds.BuiltInNames());
        Assert.Contains("pacs-full", PipelineKinds.BuiltInNames());
        var fewShot = PipelineDefinition.BuiltIn("pacs-fewshot");
        Assert.Equal("pacs", fewShot.Dataset.Name);
        Assert.Equal("cartoon", fewShot.Dataset.Domain);
        Assert.Equal(0.1, fewShot.Split.TrainFraction);
        var frozen = fewShot.Methods.OfType<FrozenFeaturesMethod>().First();
        Assert.Equal("mobilenetv2-1.0-bn-features", frozen.Backbone);
        Assert.Equal(5, frozen.Trainers.Count);
        Assert.Contains(ClassicTrainer.LinearSvm, frozen.Trainers);
        Assert.Equal(0.1, PipelineDefinition.BuiltIn("pacs-full").Split.TestFraction);
    }

    [Fact]
    public void Unknown_experiment_kinds_are_named_with_the_known_ones()
    {
        var error = Assert.Throws<PipelineException>(() => PipelineKinds.Parse("name: x\nexperiment: alchemy\n", "mine.yaml"));
        Assert.Contains("alchemy", error.Message);
        Assert.Contains(PipelineKinds.ImageClassification, error.Message);
    }

    [Fact]
    public void Errors_name_the_file_the_line_and_the_problem()
    {
        var unknownKind = Assert.Throws<PipelineException>(() => PipelineDefinition.Parse(
            "name: x\ndataset: { name: pacs }\nmethods:\n  - kind: quantum-annealing\n", "mine.yaml"));
        Assert.StartsWith("mine.yaml:", unknownKind.Message);
        Assert.Contains("frozen-features", unknownKind.Message);

        var badFraction = Assert.Throws<PipelineException>(() => PipelineDefinition.Parse(
            "name: x\ndataset: { name: pacs }\nsplit: { train-fraction: 1.5 }\nmethods:\n  - kind: pixel-baseline\n", "mine.yaml"));
        Assert.Contains("train-fraction", badFraction.Message);

        var typo = Assert.Throws<PipelineException>(() => PipelineDefinition.Parse(
            "name: x\ndataset: { name: pacs }\nmethods:\n  - kind: frozen-features\n    backbnoe: squeezenet1.1-7\n", "mine.yaml"));
        Assert.Contains("mine.yaml:5", typo.Message);

        var unknownTrainer = Assert.Throws<PipelineException>(() => PipelineDefinition.Parse(
            "name: x\ndataset: { name: pacs }\nmethods:\n  - kind: frozen-features\n    trainers: [random-forest]\n", "mine.yaml"));
        Assert.Contains("mine.yaml:5", unknownTrainer.Message);
    }
}
