using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Tests.Onnx;

/// <summary>An ensemble graph outputs the logarithm of its members' mean class probabilities, whatever their input sizes.</summary>
public class OnnxEnsembleTests
{
    // A tiny classifier: global average pool of [N, 3, side, side] → [N, 3] → Gemm with weights [3, classes] → logits.
    private static ModelProto Classifier(int side, float[] weights, int classes, string input = "image", string output = "scores")
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(OnnxTensors.FloatValueInfo(input, "N", 3, side, side));
        graph.Output.Add(OnnxTensors.FloatValueInfo(output, "N", classes));
        graph.Initializer.Add(OnnxTensors.Float("weights", [3, classes], weights));
        graph.Node.Add(OnnxTensors.Node("GlobalAveragePool", "pool", [input], ["pooled"]));
        graph.Node.Add(OnnxTensors.Node("Flatten", "flatten", ["pooled"], ["flat"], OnnxTensors.IntAttribute("axis", 1)));
        graph.Node.Add(OnnxTensors.Node("Gemm", "head", ["flat", "weights"], [output]));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 18 });
        return model;
    }

    private static float[] Run(ModelProto model, string input, DenseTensor<float> images)
    {
        using var folder = new TemporaryFolder("ensemble");
        string path = folder.File("model.onnx");
        OnnxModelFile.Save(model, path);
        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, images)]);
        return results[0].AsTensor<float>().ToArray();
    }

    private static double[] Softmax(IEnumerable<float> logits)
    {
        var values = logits.Select(v => (double)v).ToArray();
        double max = values.Max(), sum = values.Sum(v => Math.Exp(v - max));
        return values.Select(v => Math.Exp(v - max) / sum).ToArray();
    }

    // Images whose channels are constant: the pooled colour, and so every member's output, does not depend on the size.
    private static DenseTensor<float> ConstantImages(int side, params float[][] colours)
    {
        var tensor = new DenseTensor<float>([colours.Length, 3, side, side]);
        for (int n = 0; n < colours.Length; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < side; y++)
                    for (int x = 0; x < side; x++)
                        tensor[n, c, y, x] = colours[n][c];
        return tensor;
    }

    [Fact]
    public void The_output_is_the_log_of_the_members_mean_probabilities()
    {
        float[] first = [1, -2, 0.5f, 3, 0, -1, 2, 1, -3, 0.5f, 0, 2], second = [-1, 2, 0, 1, 4, -2, 0, 1, 1, 1, -1, 3];
        var members = new[] { Classifier(4, first, 4), Classifier(4, second, 4) };
        var random = new Random(7);
        var images = new DenseTensor<float>(Enumerable.Range(0, 5 * 3 * 16).Select(_ => (float)random.NextDouble()).ToArray(), [5, 3, 4, 4]);

        var ensemble = OnnxEnsemble.AverageProbabilities(members, "Pixels", "Logits");
        var output = Run(ensemble, "Pixels", images);
        var memberOutputs = members.Select(m => Run(m, "image", images)).ToList();

        Assert.Equal(5 * 4, output.Length);
        for (int n = 0; n < 5; n++)
        {
            var expected = Softmax(memberOutputs[0].Skip(4 * n).Take(4)).Zip(Softmax(memberOutputs[1].Skip(4 * n).Take(4)), (a, b) => (a + b) / 2).ToArray();
            var actual = Softmax(output.Skip(4 * n).Take(4));
            for (int k = 0; k < 4; k++) Assert.Equal(expected[k], actual[k], 1e-5);
            Assert.Equal(Math.Log(expected[0]), output[4 * n], 1e-4); // the logits are log-probabilities themselves
        }
        Assert.Equal(3, members[0].Graph.Node.Count); // the members are untouched
    }

    [Fact]
    public void A_member_trained_at_a_smaller_size_sees_the_images_resized()
    {
        float[] weights = [1, 0, 0, 1, 0.5f, -1];
        var large = Classifier(8, weights, 2);
        var small = Classifier(4, [-1, 2, 0, 0, 1, 1], 2, input: "x", output: "y");
        var ensemble = OnnxEnsemble.AverageProbabilities([large, small], "Pixels", "Logits");
        var inputDims = ensemble.Graph.Input.Single().Type.TensorType.Shape.Dim;
        Assert.Equal(8, inputDims[2].DimValue);

        float[][] colours = [[0.2f, 0.7f, 0.1f], [0.9f, 0.3f, 0.5f]];
        var output = Run(ensemble, "Pixels", ConstantImages(8, colours));
        var fromLarge = Run(large, "image", ConstantImages(8, colours));
        var fromSmall = Run(small, "x", ConstantImages(4, colours));
        for (int n = 0; n < 2; n++)
        {
            var expected = Softmax(fromLarge.Skip(2 * n).Take(2)).Zip(Softmax(fromSmall.Skip(2 * n).Take(2)), (a, b) => (a + b) / 2).ToArray();
            var actual = Softmax(output.Skip(2 * n).Take(2));
            for (int k = 0; k < 2; k++) Assert.Equal(expected[k], actual[k], 1e-5);
        }
    }

    [Fact]
    public void Members_with_different_class_counts_or_a_single_member_are_clear_errors()
    {
        var three = Classifier(4, new float[9], 3);
        var two = Classifier(4, new float[6], 2);
        var mismatch = Assert.Throws<OnnxFormatException>(() => OnnxEnsemble.AverageProbabilities([three, two], "Pixels", "Logits"));
        Assert.Contains("different numbers of classes (3, 2)", mismatch.Message);
        Assert.Throws<ArgumentException>(() => OnnxEnsemble.AverageProbabilities([three], "Pixels", "Logits"));
    }
}
