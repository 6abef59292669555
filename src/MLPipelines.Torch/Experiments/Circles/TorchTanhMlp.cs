using System.Diagnostics;
using MLPipelines.Experiments.Circles;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.Circles;

/// <summary>
/// The <see cref="TanhMlp"/> architecture as a TorchSharp module (Linear → Tanh → Linear, float64), started from the same
/// weights and trained with <c>torch.optim.SGD</c> on the same minibatches, so its curve can be compared with the hand-written one.
/// </summary>
public sealed class TorchTanhMlp : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network;

    /// <summary>Copies the architecture and current weights of <paramref name="source"/>.</summary>
    public TorchTanhMlp(TanhMlp source)
    {
        TorchSharpRuntime.EnsureInitialized();
        var hidden = nn.Linear(source.Inputs, source.Hidden, dtype: float64);
        var output = nn.Linear(source.Hidden, source.Classes, dtype: float64);
        using (no_grad())
        {
            // TorchSharp's Linear stores [out × in]; the hand-written layout is [in × out].
            using var wh = tensor(source.WeightsHidden, [source.Inputs, source.Hidden], float64);
            using var wy = tensor(source.WeightsOutput, [source.Hidden, source.Classes], float64);
            using var bh = tensor(source.BiasHidden, float64);
            using var by = tensor(source.BiasOutput, float64);
            hidden.weight!.copy_(wh.t());
            hidden.bias!.copy_(bh);
            output.weight!.copy_(wy.t());
            output.bias!.copy_(by);
        }
        _network = nn.Sequential(("hidden", hidden), ("tanh", nn.Tanh()), ("output", output));
        Classes = source.Classes;
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Trains with SGD and records the same measurements as <see cref="TanhMlpTrainer"/>.</summary>
    public TrainingCurve Train(LabeledVectors train, LabeledVectors test, SgdSettings settings, string name)
    {
        var stopwatch = Stopwatch.StartNew();
        // The tensors are tiny (a few hundred values): extra intra-op threads only add synchronisation.
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return TrainSingleThreaded(train, test, settings, name, stopwatch);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private TrainingCurve TrainSingleThreaded(LabeledVectors train, LabeledVectors test, SgdSettings settings, string name, Stopwatch stopwatch)
    {
        using var optimizer = optim.SGD(_network.parameters(), settings.LearningRate);
        var losses = new List<double>();
        var trainAccuracy = new List<double>();
        var testAccuracy = new List<double>();
        _network.train();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double lossSum = 0;
            foreach (var batch in settings.Batches(epoch, train.Count))
            {
                using var scope = NewDisposeScope();
                var (x, labels) = train.Rows(batch);
                var logits = _network.forward(tensor(x, [batch.Length, train.Dimension], float64));
                var loss = nn.functional.cross_entropy(logits, tensor(labels.Select(l => (long)l).ToArray(), int64));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<double>() * batch.Length;
            }
            losses.Add(lossSum / train.Count);
            trainAccuracy.Add(Accuracy(train));
            testAccuracy.Add(Accuracy(test));
        }
        return new TrainingCurve(name, losses, trainAccuracy, testAccuracy, stopwatch.Elapsed);
    }

    /// <summary>The most probable class of each row of <paramref name="x"/> ([count × inputs], row-major).</summary>
    public int[] Predict(double[] x, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = _network.forward(tensor(x, [count, x.Length / count], float64));
        return [.. logits.argmax(1).data<long>().Select(v => (int)v)];
    }

    /// <summary>Accuracy on a labelled set.</summary>
    public double Accuracy(LabeledVectors data) => CircleBaselines.Accuracy(Predict(data.X, data.Count), data.Labels);

    /// <inheritdoc/>
    public void Dispose() => _network.Dispose();
}
