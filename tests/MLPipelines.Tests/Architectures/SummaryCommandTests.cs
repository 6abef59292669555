using System.Diagnostics;

namespace MLPipelines.Tests.Architectures;

/// <summary>The <c>summary</c> verb of the CLI, run as a separate process like a user would.</summary>
public class SummaryCommandTests
{
    [Fact]
    public void SummarizesABuiltInArchitectureWithOptions()
    {
        var (exitCode, output, error) = RunCli("summary", "builtin:convnet", "--set", "batch-norm=true");
        Assert.True(exitCode == 0, error);
        Assert.Contains("Trainable parameters: 7,682,826 in 22 tensors", output);
        Assert.Contains("BatchNorm running statistics (not trainable): 4,352 in 10 tensors", output);
    }

    [Fact]
    public void SummarizesACatalogModelAsMarkdown()
    {
        var (exitCode, output, error) = RunCli("summary", "squeezenet1.1-7", "--markdown");
        Assert.True(exitCode == 0, error);
        Assert.Contains("| 1 | `squeezenet0_conv0` | Conv | [N, 64, 111, 111] | 1,792 | weight 64×3×3×3, bias 64 |", output);
        Assert.Contains("Trainable parameters: 1,235,496", output);
    }

    [Fact]
    public void UnknownModelIsOneLineNamingTheChoices()
    {
        var (exitCode, _, error) = RunCli("summary", "resnet50");
        Assert.Equal(2, exitCode);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: unknown model 'resnet50': not a file, a catalog model (", line);
        Assert.EndsWith("or a built-in architecture (resnet18, resnet34, mobilenetv2, convnet, lenet, mlp)", line);
    }

    [Fact]
    public void OptionsOfNonBuiltInModelsAreRejected()
    {
        var (exitCode, _, error) = RunCli("summary", "squeezenet1.1-7", "--set", "classes=3");
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: --set applies to built-in architectures only", error);
    }

    private static (int ExitCode, string Output, string Error) RunCli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipelines.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipelines {string.Join(' ', arguments)} did not finish in 2 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
