using System.Diagnostics;

namespace MLPipelines.Experiments.Circles;

/// <summary>Trains a <see cref="TanhMlp"/> with <see cref="SgdSettings"/>, recording a <see cref="TrainingCurve"/>.</summary>
public static class TanhMlpTrainer
{
    /// <summary>
    /// Runs SGD on <paramref name="train"/>; after each epoch measures train and test accuracy. A non-finite loss stops
    /// training (the remaining epochs are NaN) so a divergent learning rate shows as such, never as a small loss.
    /// </summary>
    public static TrainingCurve Train(TanhMlp mlp, LabeledVectors train, LabeledVectors test, SgdSettings settings, string name,
        Action<int>? epochDone = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var losses = new List<double>();
        var trainAccuracy = new List<double>();
        var testAccuracy = new List<double>();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double lossSum = 0;
            int seen = 0;
            foreach (var batch in settings.Batches(epoch, train.Count))
            {
                var (x, labels) = train.Rows(batch);
                var gradients = mlp.Backward(x, labels, batch.Length);
                mlp.Step(gradients, settings.LearningRate);
                lossSum += gradients.Loss * batch.Length;
                seen += batch.Length;
            }
            double loss = lossSum / seen;
            losses.Add(loss);
            if (!double.IsFinite(loss))
            {
                for (int rest = epoch; rest < settings.Epochs; rest++) { trainAccuracy.Add(double.NaN); testAccuracy.Add(double.NaN); }
                for (int rest = epoch + 1; rest < settings.Epochs; rest++) losses.Add(double.NaN);
                break;
            }
            trainAccuracy.Add(mlp.Evaluate(train.X, train.Labels).Accuracy);
            testAccuracy.Add(mlp.Evaluate(test.X, test.Labels).Accuracy);
            epochDone?.Invoke(epoch + 1);
        }
        return new TrainingCurve(name, losses, trainAccuracy, testAccuracy, stopwatch.Elapsed);
    }
}
