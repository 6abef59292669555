using MLPipelines.Experiments.Circles;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.Circles;

/// <summary>
/// Compares the hand-written backward pass of <see cref="TanhMlp"/> with TorchSharp autograd on the same weights and batch,
/// both in float64. The error of each parameter is max |g_hand − g_autograd| / max |g_autograd| (relative to the gradient's scale,
/// so tiny entries do not blow it up).
/// </summary>
public static class GradientCheck
{
    /// <summary>One parameter's comparison.</summary>
    public sealed record Entry(string Parameter, double MaxAbsoluteGradient, double RelativeError);

    /// <summary>The loss from both implementations and the per-parameter relative errors.</summary>
    public sealed record Result(double HandLoss, double AutogradLoss, IReadOnlyList<Entry> Entries)
    {
        /// <summary>The largest relative error over all parameters.</summary>
        public double MaxRelativeError => Entries.Max(e => e.RelativeError);
    }

    /// <summary>Checks the gradients of the mean cross-entropy of <paramref name="mlp"/> on rows <paramref name="batch"/> of <paramref name="data"/>.</summary>
    public static Result Run(TanhMlp mlp, LabeledVectors data, IReadOnlyList<int> batch)
    {
        TorchSharpRuntime.EnsureInitialized();
        var (x, labels) = data.Rows(batch);
        var hand = mlp.Backward(x, labels, batch.Count);
        using var scope = NewDisposeScope();
        var wh = tensor(mlp.WeightsHidden, [mlp.Inputs, mlp.Hidden], float64).requires_grad_();
        var bh = tensor(mlp.BiasHidden, float64).requires_grad_();
        var wy = tensor(mlp.WeightsOutput, [mlp.Hidden, mlp.Classes], float64).requires_grad_();
        var by = tensor(mlp.BiasOutput, float64).requires_grad_();
        var input = tensor(x, [batch.Count, mlp.Inputs], float64);
        var logits = tanh(input.matmul(wh) + bh).matmul(wy) + by;
        var loss = nn.functional.cross_entropy(logits, tensor(labels.Select(l => (long)l).ToArray(), int64));
        loss.backward();
        Entry Compare(string name, double[] handGradient, Tensor parameter)
        {
            var autograd = parameter.grad!.contiguous().data<double>().ToArray();
            double scale = autograd.Max(Math.Abs);
            double difference = handGradient.Zip(autograd, (a, b) => Math.Abs(a - b)).Max();
            return new Entry(name, scale, scale > 0 ? difference / scale : difference);
        }
        return new Result(hand.Loss, loss.item<double>(),
        [
            Compare("W_h", hand.WeightsHidden, wh), Compare("b_h", hand.BiasHidden, bh),
            Compare("W_y", hand.WeightsOutput, wy), Compare("b_y", hand.BiasOutput, by),
        ]);
    }
}
