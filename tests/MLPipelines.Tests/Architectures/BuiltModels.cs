using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Tests.Architectures;

/// <summary>Helpers for tests of built graphs: run them in ONNX Runtime, read their initializers.</summary>
internal static class BuiltModels
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> ([batch, C, H, W]) and returns every graph output by name.</summary>
    public static Dictionary<string, (long[] Shape, float[] Values)> Run(ModelProto model, float[] input, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        var names = session.OutputNames.ToArray();
        using var results = session.Run(runOptions, [session.InputNames.Single()], [value], names);
        var outputs = new Dictionary<string, (long[], float[])>();
        for (int i = 0; i < names.Length; i++)
            outputs[names[i]] = (results[i].GetTensorTypeAndShape().Shape, results[i].GetTensorDataAsSpan<float>().ToArray());
        return outputs;
    }

    /// <summary>Uniform values in [-1, 1) from a fixed seed.</summary>
    public static float[] RandomInput(long[] shape, int seed = 7)
    {
        var random = new Random(seed);
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(2 * random.NextDouble() - 1);
        return values;
    }

    /// <summary>The values of initializer <paramref name="name"/>.</summary>
    public static float[] Initializer(ModelProto model, string name) =>
        OnnxTensors.ReadFloats(model.Graph.Initializer.SingleOrDefault(t => t.Name == name)
            ?? throw new KeyNotFoundException($"no initializer '{name}'; have {string.Join(", ", model.Graph.Initializer.Take(12).Select(t => t.Name))}…"));

    /// <summary>The dimensions of initializer <paramref name="name"/>.</summary>
    public static long[] Dims(ModelProto model, string name) => [.. model.Graph.Initializer.Single(t => t.Name == name).Dims];

    public static (double Mean, double Std) MeanStd(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance));
    }
}
