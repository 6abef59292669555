using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using MLPipelines.Torch.Onnx.Execution;
using MLPipelines.Torch.Onnx.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Conformance;

/// <summary>
/// Runs the official ONNX backend node tests (<c>test_&lt;op&gt;*/model.onnx</c> with <c>test_data_set_*/input_*.pb</c> and
/// <c>output_*.pb</c>) through the TorchSharp executor for every supported op, comparing like
/// <c>numpy.testing.assert_allclose</c> at ONNX's float32 tolerances.
/// </summary>
public static class OnnxConformanceRunner
{
    /// <summary>Where Debian's libonnx-testdata installs the node tests.</summary>
    public const string DefaultFolder = "/usr/share/libonnx-testdata/data/node";

    /// <summary>ONNX's float32 tolerances for backend tests.</summary>
    public const double RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-7;

    // Test folders named differently from their op.
    private static readonly Dictionary<string, string> FolderPrefixes = new() { ["BatchNormalization"] = "batchnorm" };

    /// <summary>The test folders in scope: those named test_&lt;op&gt; or test_&lt;op&gt;_… for a supported op.</summary>
    public static IReadOnlyList<string> CaseFolders(string folder = DefaultFolder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: ONNX node tests not found; install Debian's libonnx-testdata (apt-get install libonnx-testdata), as .ci/run does");
        var prefixes = OnnxOpRegistry.SupportedOps.Select(op => "test_" + FolderPrefixes.GetValueOrDefault(op, op.ToLowerInvariant())).ToList();
        return Directory.GetDirectories(folder)
            .Where(d => prefixes.Any(p => Path.GetFileName(d) == p || Path.GetFileName(d).StartsWith(p + "_", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs every in-scope case of <paramref name="folder"/>.</summary>
    public static ConformanceReport Run(string folder = DefaultFolder)
    {
        TorchSharpRuntime.EnsureInitialized();
        var cases = CaseFolders(folder).Select(RunCase).ToList();
        return new ConformanceReport(folder, RelativeTolerance, AbsoluteTolerance, cases);
    }

    /// <summary>Runs one test folder.</summary>
    public static ConformanceCase RunCase(string caseFolder)
    {
        string name = Path.GetFileName(caseFolder);
        try
        {
            return new ConformanceCase(name, ConformanceOutcome.Passed, Execute(caseFolder));
        }
        catch (OnnxNotSupportedException e)
        {
            return new ConformanceCase(name, ConformanceOutcome.NotApplicable, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ConformanceCase(name, ConformanceOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string Execute(string caseFolder)
    {
        var model = OnnxModelFile.Load(Path.Combine(caseFolder, "model.onnx"));
        GraphCompiler.CheckSupported(model);
        var initializerNames = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        foreach (var value in inputs.Concat(model.Graph.Output))
            if (value.Type?.TensorType is null)
                throw new OnnxNotSupportedException($"'{value.Name}' is not a tensor (sequence/optional types are not supported)");
        using var scope = torch.NewDisposeScope();
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, t => OnnxTensorConverter.ToTorch(t, $"initializer '{t.Name}'"));
        using var graph = GraphCompiler.Compile(model, initializers, initializerNames, inputs.Select(i => i.Name).ToList(), new OnnxModuleOptions());
        int[] outputSlots = model.Graph.Output.Select(o => graph.SlotOf(o.Name)).ToArray();
        var dataSets = Directory.GetDirectories(caseFolder, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        if (dataSets.Count == 0) throw new InvalidOperationException("no test_data_set_* folder");
        double worst = 0;
        foreach (string dataSet in dataSets)
        {
            var feeds = inputs.Select((input, i) => Read(Path.Combine(dataSet, $"input_{i}.pb"))).ToArray();
            Tensor[] actual;
            using (torch.no_grad())
                actual = graph.Run(feeds, outputSlots, training: false);
            for (int o = 0; o < outputSlots.Length; o++)
            {
                using var expected = Read(Path.Combine(dataSet, $"output_{o}.pb"));
                worst = Math.Max(worst, Compare(model.Graph.Output[o].Name, actual[o], expected, Path.GetFileName(dataSet)));
            }
        }
        return $"max |error| / (atol + rtol·|expected|) = {worst:0.###}";
    }

    private static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing");
        using var stream = File.OpenRead(path);
        var proto = TensorProto.Parser.ParseFrom(stream);
        return OnnxTensorConverter.ToTorch(proto, Path.GetFileName(path));
    }

    /// <summary>numpy.testing.assert_allclose; returns the largest error as a fraction of the allowed error.</summary>
    private static double Compare(string output, Tensor actual, Tensor expected, string dataSet)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
            throw new InvalidOperationException($"{dataSet}: output '{output}' has shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        if (actual.dtype != expected.dtype)
            throw new InvalidOperationException($"{dataSet}: output '{output}' has type {actual.dtype}, expected {expected.dtype}");
        if (actual.numel() == 0) return 0;
        using var a = actual.to_type(ScalarType.Float64).contiguous();
        using var e = expected.to_type(ScalarType.Float64).contiguous();
        double[] av = a.data<double>().ToArray(), ev = e.data<double>().ToArray();
        double worst = 0;
        for (int i = 0; i < av.Length; i++)
        {
            if (double.IsNaN(av[i]) && double.IsNaN(ev[i])) continue;
            if (av[i] == ev[i]) continue;
            double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(ev[i]);
            double ratio = Math.Abs(av[i] - ev[i]) / allowed;
            if (!(ratio <= 1))
                throw new InvalidOperationException($"{dataSet}: output '{output}' value {i} is {av[i]:G9}, expected {ev[i]:G9} (allowed error {allowed:G3})");
            worst = Math.Max(worst, ratio);
        }
        return worst;
    }
}
