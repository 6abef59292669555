using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Diagnostics;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using TorchSharp;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>
/// Inference throughput of one ONNX network through the TorchSharp executor (eval mode, no_grad) and through ONNX Runtime
/// (an InferenceSession on the same model bytes), on the same seeded random batch, each with its own peak resident memory.
/// Both compute the graph's first output, the one <see cref="OnnxModule.forward"/> returns.
/// </summary>
public static class EvalThroughputBenchmark
{
    /// <summary>Untimed forward passes before the timed ones (first-call allocations, ONNX Runtime's arena growth).</summary>
    public const int WarmupBatches = 2;

    /// <summary>Times <paramref name="batches"/> forward passes of the executor in eval mode under no_grad.</summary>
    /// <param name="model">The network.</param>
    /// <param name="imageShape">One input without the batch, e.g. [3, 224, 224].</param>
    /// <param name="batch">Images per pass.</param>
    /// <param name="batches">Timed passes.</param>
    /// <param name="seed">Seed of the input batch.</param>
    public static EvalMeasurement TorchSharp(ModelProto model, IReadOnlyList<long> imageShape, int batch, int batches, int seed = 42)
    {
        long start = StartMeasurement();
        float[] input = RandomBatch(imageShape, batch, seed);
        using var module = OnnxModule.FromModel(model);
        module.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.tensor(input, [batch, .. imageShape]);
        var times = Time(batches, () =>
        {
            using var scope = torch.NewDisposeScope();
            module.forward(x);
        });
        return Finish("TorchSharp", batch, times, start);
    }

    /// <summary>Times <paramref name="batches"/> runs of an ONNX Runtime session on the same model, with <paramref name="threads"/> intra-op threads.</summary>
    /// <param name="model">The network (its batch dimension is made dynamic).</param>
    /// <param name="imageShape">One input without the batch, e.g. [3, 224, 224].</param>
    /// <param name="batch">Images per run.</param>
    /// <param name="batches">Timed runs.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads (the machine's cores).</param>
    /// <param name="seed">Seed of the input batch.</param>
    public static EvalMeasurement OnnxRuntime(ModelProto model, IReadOnlyList<long> imageShape, int batch, int batches, int threads = 2, int seed = 42)
    {
        long start = StartMeasurement();
        float[] input = RandomBatch(imageShape, batch, seed);
        string inputName = OnnxGraphEditor.DataInputs(model).Single().Name;
        string[] output = [model.Graph.Output[0].Name];
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(OnnxModelFile.ToBytes(OnnxGraphEditor.WithDynamicBatch(model)), options);
        var tensor = new DenseTensor<float>(input, [batch, .. imageShape.Select(d => (int)d)]);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) };
        var times = Time(batches, () =>
        {
            using var results = session.Run(inputs, output);
        });
        return Finish("ONNX Runtime", batch, times, start);
    }

    private static long StartMeasurement()
    {
        if (!ProcessMemory.ResetPeakAfterCollecting())
            Trace.TraceWarning("the peak RSS cannot be reset here; it covers the whole process");
        return ProcessMemory.ResidentBytes();
    }

    private static List<double> Time(int batches, Action run)
    {
        if (batches < 1) throw new ArgumentOutOfRangeException(nameof(batches), batches, "time at least one batch");
        for (int i = 0; i < WarmupBatches; i++) run();
        var times = new List<double>(batches);
        for (int i = 0; i < batches; i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static EvalMeasurement Finish(string runtime, int batch, List<double> times, long start)
    {
        long peak = ProcessMemory.PeakResidentBytes();
        times.Sort();
        double median = times[times.Count / 2];
        return new EvalMeasurement(runtime, batch, times.Count, median, batch / median, start, peak);
    }

    /// <summary>Standard-normal values from <paramref name="seed"/>, the same for both runtimes.</summary>
    private static float[] RandomBatch(IReadOnlyList<long> imageShape, int batch, int seed)
    {
        if (imageShape.Any(d => d < 0))
            throw new ArgumentException($"the input shape [{string.Join(",", imageShape)}] is not fixed; cannot make a batch");
        TorchSharpRuntime.EnsureInitialized();
        using var generator = new torch.Generator((ulong)seed);
        using var values = torch.randn([batch, .. imageShape], generator: generator);
        return values.data<float>().ToArray();
    }
}
