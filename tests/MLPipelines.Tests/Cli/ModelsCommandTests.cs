using System.Text.Json;

namespace MLPipelines.Tests.Cli;

/// <summary>The <c>models</c> verbs run as a process: exit codes, output shape and the benchmark results files.</summary>
public class ModelsCommandTests
{
    [Fact]
    public void Verify_compares_one_catalog_model_with_onnx_runtime_on_one_image()
    {
        string image = RepositoryPaths.SharedPath("images", "kitten_224.png");
        var (code, output, error) = CliProcess.Run("models", "verify", "squeezenet1.1-7", "--image", image);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("squeezenet1.1-7", output);
        Assert.Contains("1 images: kitten_224.png", output);
        // One table row per output (logits and features), each within the bridge's 1e-4 relative.
        foreach (string tensor in new[] { "logits", "features" })
        {
            string row = Assert.Single(output.Split('\n'), line => line.Contains("squeezenet1.1-7") && line.Contains($" {tensor} "));
            double relative = double.Parse(row.Split('│', StringSplitOptions.TrimEntries)[5], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(relative, 0, 1e-4);
            Assert.Contains("Conv×26", row);
        }
    }

    [Fact]
    public void Quick_bench_writes_markdown_and_json_with_training_and_both_inference_runtimes()
    {
        using var folder = new TemporaryFolder("bench");
        string results = folder.File("results", "bench.md");
        var (code, output, error) = CliProcess.Run("models", "bench", "builtin:lenet", "--input-size", "28", "--quick", "--threads", "1", "--results", results);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("inference through TorchSharp", output);
        Assert.Contains("inference through ONNX Runtime", output);

        string markdown = File.ReadAllText(results);
        Assert.Contains("## Training step", markdown);
        Assert.Contains("| builtin:lenet | logits | ONNX Runtime | 2 | 3 |", markdown);
        Assert.Contains("| builtin:lenet | logits | TorchSharp | 2 | 3 |", markdown);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(results, ".json")));
        var network = json.RootElement.GetProperty("Networks")[0];
        Assert.Equal([3L, 28, 28], network.GetProperty("ImageShape").EnumerateArray().Select(e => e.GetInt64()));
        var training = network.GetProperty("Training");
        Assert.Equal(3, training.GetProperty("Steps").GetInt32());
        Assert.True(training.GetProperty("ImagesPerSecond").GetDouble() > 0);
        foreach (var eval in network.GetProperty("Eval").EnumerateArray())
        {
            Assert.True(eval.GetProperty("ImagesPerSecond").GetDouble() > 0);
            long start = eval.GetProperty("StartResidentBytes").GetInt64(), peak = eval.GetProperty("PeakResidentBytes").GetInt64();
            Assert.InRange(start, 10L << 20, 64L << 30);
            Assert.True(peak >= start, $"peak RSS {peak} below the RSS at the start {start}");
        }
        Assert.Equal(["TorchSharp", "ONNX Runtime"], network.GetProperty("Eval").EnumerateArray().Select(e => e.GetProperty("Runtime").GetString()));
    }

    [Fact]
    public void Bad_model_names_and_settings_exit_2_with_one_line()
    {
        var (code, _, error) = CliProcess.Run("models", "bench", "no-such-model", "--quick");
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: unknown model 'no-such-model'", error.Trim());

        (code, _, error) = CliProcess.Run("models", "verify", "no-such-model");
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("no-such-model", error);

        (code, _, error) = CliProcess.Run("models", "bench", "builtin:lenet", "--measure", "everything");
        Assert.Equal(2, code);
        Assert.Equal("error: --measure 'everything': use all, train or eval", error.Trim());
    }
}
