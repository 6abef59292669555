namespace MLPipelines.Tests.Cli;

/// <summary>The command line: exit codes and one-line errors, as a user sees them.</summary>
public class CliTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliProcess.Run(args);

    [Fact]
    public void Bad_input_exits_non_zero_with_one_line_and_no_stack_trace()
    {
        var (code, _, error) = Run("pacs-fewshot", "--domain", "watercolour");
        Assert.Equal(2, code);
        Assert.Equal("error: dataset 'pacs' has no domain 'watercolour'; domains: cartoon, photo, art_painting, sketch", error.Trim());

        (code, _, error) = Run("pacs-fewshot", "--kinds", "frozen");
        Assert.Equal(2, code);
        Assert.Equal("error: --kinds frozen: pipeline 'pacs-fewshot' has no method of that kind (it has pixel-baseline, frozen-features, fine-tune, ensemble)", error.Trim());

        (code, _, error) = Run("run", "no-such-pipeline.yaml");
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("no-such-pipeline.yaml", error);
        Assert.DoesNotContain("   at ", error);

        (code, _, error) = Run("train", "--data", "/no/such/folder");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/folder", error);
    }

    [Fact]
    public void Every_verb_has_help_and_list_shows_the_catalog()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "pacs-fewshot", "pacs-full", "run", "train", "list" })
            Assert.Contains(verb, output);
        (code, output, _) = Run("pacs-fewshot", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--seed", "--output", "--quick", "--backbone", "--domain", "--data-root", "--models" })
            Assert.Contains(option, output);
        (code, output, _) = Run("list", "models");
        Assert.Equal(0, code);
        Assert.Contains("squeezenet1.1-7", output);
    }
}
