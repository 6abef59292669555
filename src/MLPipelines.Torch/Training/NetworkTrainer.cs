using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// The training loop: epochs of shuffled (or class-balanced) batches prepared in the background, soft-target cross-entropy,
/// SGD or AdamW with per-step learning rates, validation after every epoch, best-epoch tracking with early stopping, a
/// checkpoint per epoch and exact resumption. At the end the network holds the best epoch's weights.
/// </summary>
/// <remarks>
/// Determinism: the shuffle, sampler, augmentations and batch mixing use generators seeded by (seed, epoch, index), and
/// TorchSharp's generator is re-seeded at the start of every epoch (dropout), so two runs with the same seed, thread count
/// and machine give the same metrics. What remains: floating-point reductions in libtorch's CPU kernels may be split
/// differently with another thread count or CPU instruction set, which changes the last bits of the results.
/// </remarks>
public sealed class NetworkTrainer(ImageClassificationTrainer.Options options)
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="train"/>, validating on <paramref name="validation"/> when given.</summary>
    public TrainingResult Train(ITrainableNetwork network, DecodedImageSet train, DecodedImageSet? validation, int classCount,
        Normalization normalization)
    {
        options.Validate();
        TorchSharpRuntime.EnsureInitialized();
        torch.set_num_threads(options.Threads);
        var augmentation = options.ResolveAugmentation();
        var batchAugmentation = options.ResolveBatchAugmentation();
        int stepsPerEpoch = BatchLoader.CountBatches(train.Count, options.BatchSize);
        var schedule = LearningRateSchedule.For(options, stepsPerEpoch);
        var stopping = new EarlyStopping(options.EarlyStoppingMetric, options.EarlyStoppingPatience, options.EarlyStoppingMinDelta,
            options.SelectionWindow);
        var history = new List<EpochMetrics>();
        using var classWeights = options.ClassWeights == ClassWeighting.Balanced
            ? torch.tensor(SoftTargetCrossEntropy.BalancedClassWeights(train.Labels, classCount))
            : null;
        var sampler = options.BalancedSampler ? new ClassBalancedSampler(train.Labels) : null;
        string fingerprint = Fingerprint(train, validation, classCount, augmentation.Describe() + "|" + batchAugmentation?.Describe());
        byte[]? bestWeights = null;
        int startEpoch = 1, resumedAfter = 0;

        bool? frozen = null;
        torch.optim.Optimizer? optimizer = null;
        double[] groupRates = [];
        void EnterPhase(int epoch)
        {
            bool freeze = BackboneFrozenAt(options, epoch);
            if (frozen == freeze) return;
            frozen = freeze;
            if (freeze) network.FreezeBackbone(); else network.UnfreezeBackbone();
            optimizer?.Dispose();
            (optimizer, groupRates) = OptimizerFactory.Create(options, network, freeze);
        }

        if (options.Resume && TrainingCheckpoint.Load(options.CheckpointFolder!) is { } checkpoint)
        {
            if (checkpoint.Fingerprint != fingerprint)
                throw new InvalidOperationException(
                    $"{Path.Combine(options.CheckpointFolder!, TrainingCheckpoint.FileName)}: the checkpoint belongs to a run with other data or settings; delete it or turn Resume off");
            Load(network.Module, checkpoint.Weights);
            EnterPhase(checkpoint.Epoch);
            using (var reader = new BinaryReader(new MemoryStream(checkpoint.OptimizerState)))
                ((OptimizerHelper)optimizer!).load_state_dict(reader);
            history.AddRange(checkpoint.History);
            stopping.Remember(checkpoint.History);
            stopping.BestEpoch = checkpoint.Stopping.BestEpoch;
            stopping.BestAccuracy = checkpoint.Stopping.BestAccuracy;
            stopping.BestLoss = checkpoint.Stopping.BestLoss;
            stopping.EpochsWithoutImprovement = checkpoint.Stopping.EpochsWithoutImprovement;
            schedule.Plateau = checkpoint.Plateau;
            bestWeights = checkpoint.BestWeights;
            startEpoch = checkpoint.Epoch + 1;
            resumedAfter = checkpoint.Epoch;
        }

        int lastEpoch = options.StopAfterEpoch ?? options.Epochs;
        var progress = new TrainingProgress(options.Progress, lastEpoch, stepsPerEpoch);
        bool stoppedEarly = false;
        for (int epoch = startEpoch; epoch <= lastEpoch && !stopping.ShouldStop; epoch++)
        {
            var clock = Stopwatch.StartNew();
            EnterPhase(epoch);
            torch.manual_seed(TrainingSeeds.Derive(options.Seed, "torch", epoch));
            var order = sampler?.Draw(train.Count, TrainingSeeds.Random(options.Seed, "sampler", epoch))
                        ?? Shuffled(train.Count, TrainingSeeds.Random(options.Seed, "shuffle", epoch));
            var (trainLoss, trainAccuracy, lastRate, trainSeconds) = TrainEpoch(network, optimizer!, groupRates, schedule, train, order,
                classCount, normalization, augmentation, batchAugmentation, classWeights, epoch, stepsPerEpoch, progress);
            var (validationLoss, validationAccuracy) = validation is null
                ? (double.NaN, double.NaN)
                : Evaluate(network, validation, normalization, options.BatchSize).Summary(validation.Labels);
            schedule.EndEpoch(validationLoss);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, lastRate,
                order.Length / trainSeconds, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            // Without validation data the last epoch counts as the best (there is nothing to choose with).
            bool best = validation is null ? stopping.Update(epoch, epoch, -epoch) : stopping.Update(epoch, validationAccuracy, validationLoss);
            if (best || bestWeights is null) bestWeights = Save(network.Module);
            if (options.CheckpointFolder != null)
                SaveCheckpoint(network, optimizer!, epoch, fingerprint, history, stopping, schedule, bestWeights);
            options.EpochCompleted?.Invoke(metrics);
            if (stopping.ShouldStop && epoch < lastEpoch) stoppedEarly = true;
        }
        optimizer?.Dispose();
        Load(network.Module, bestWeights!);
        network.SetTraining(false);
        return new TrainingResult(history, stopping.BestEpoch, stoppedEarly, normalization, resumedAfter)
        {
            SelectionWindow = options.SelectionWindow,
            SelectionAccuracy = validation is null ? double.NaN : stopping.BestAccuracy,
            SelectionLoss = validation is null ? double.NaN : stopping.BestLoss,
        };
    }

    private (double Loss, double Accuracy, double LastRate, double Seconds) TrainEpoch(ITrainableNetwork network, torch.optim.Optimizer optimizer,
        double[] groupRates, LearningRateSchedule schedule, DecodedImageSet train, int[] order, int classCount, Normalization normalization,
        Imaging.Augmentation.IImageAugmentation augmentation, Imaging.Augmentation.IBatchAugmentation? batchAugmentation, Tensor? classWeights, int epoch, int stepsPerEpoch, TrainingProgress progress)
    {
        network.SetTraining(true);
        using var loader = new BatchLoader(train, order, options.BatchSize, classCount, normalization, augmentation,
            batchAugmentation, options.Seed, epoch, options.PrefetchBatches);
        double lossSum = 0, lastRate = 0;
        int correct = 0, seen = 0, batchIndex = 0;
        var compute = new Stopwatch();
        foreach (var batch in loader.Batches())
        {
            compute.Start();
            double factor = schedule.Factor((epoch - 1) * stepsPerEpoch + batchIndex);
            OptimizerFactory.SetRates(optimizer, groupRates, factor);
            lastRate = options.EffectiveLearningRate * factor;
            var (loss, right) = Step(network, optimizer, batch, classCount, options.LabelSmoothing, classWeights);
            lossSum += loss * batch.Count;
            correct += right;
            seen += batch.Count;
            compute.Stop();
            progress.Batch(epoch, batchIndex, lossSum / seen, seen / compute.Elapsed.TotalSeconds);
            batchIndex++;
        }
        return (lossSum / seen, (double)correct / seen, lastRate, compute.Elapsed.TotalSeconds);
    }

    /// <summary>Whether the backbone is frozen during <paramref name="epoch"/> (1-based) under <paramref name="options"/>' mode.</summary>
    public static bool BackboneFrozenAt(ImageClassificationTrainer.Options options, int epoch) =>
        options.Mode == TrainingMode.HeadOnly || (options.Mode == TrainingMode.Gradual && epoch <= options.HeadEpochs);

    /// <summary>One optimizer step on <paramref name="batch"/>; returns the batch loss and how many arg-max predictions hit the label.</summary>
    internal static (double Loss, int Correct) Step(ITrainableNetwork network, torch.optim.Optimizer optimizer, TrainingBatch batch,
        int classCount, double labelSmoothing, Tensor? classWeights)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(batch.Pixels, [batch.Count, 3, batch.Height, batch.Width]);
        var targets = torch.tensor(batch.Targets, [batch.Count, classCount]);
        optimizer.zero_grad();
        var logits = network.Module.forward(input);
        var loss = SoftTargetCrossEntropy.Compute(logits, targets, labelSmoothing, classWeights);
        loss.backward();
        optimizer.step();
        var predicted = logits.argmax(1).data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < batch.Count; i++)
            if (predicted[i] == batch.Labels[i]) correct++;
        return (loss.item<float>(), correct);
    }

    /// <summary>Logits of every image of <paramref name="images"/> in eval mode (no augmentation).</summary>
    public static EvaluationResult Evaluate(ITrainableNetwork network, DecodedImageSet images, Normalization normalization, int batchSize)
    {
        network.SetTraining(false);
        var logits = new List<float[]>();
        using var noGrad = torch.no_grad();
        for (int start = 0; start < images.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, images.Count - start);
            var pictures = Enumerable.Range(start, count).Select(i => images.Images[i]).ToList();
            var batch = BatchLoader.ToBatch(pictures, [], [], normalization);
            using var scope = torch.NewDisposeScope();
            var output = network.Module.forward(torch.tensor(batch.Pixels, [count, 3, batch.Height, batch.Width]));
            var values = output.data<float>().ToArray();
            int k = (int)output.shape[1];
            for (int i = 0; i < count; i++) logits.Add(values.AsSpan(i * k, k).ToArray());
        }
        return new EvaluationResult(logits);
    }

    private void SaveCheckpoint(ITrainableNetwork network, torch.optim.Optimizer optimizer, int epoch, string fingerprint,
        List<EpochMetrics> history, EarlyStopping stopping, LearningRateSchedule schedule, byte[] bestWeights)
    {
        using var optimizerState = new MemoryStream();
        using (var writer = new BinaryWriter(optimizerState, System.Text.Encoding.UTF8, leaveOpen: true))
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        new TrainingCheckpoint
        {
            Epoch = epoch,
            Fingerprint = fingerprint,
            History = [.. history],
            Stopping = new TrainingCheckpoint.EarlyStoppingState
            {
                BestEpoch = stopping.BestEpoch, BestAccuracy = stopping.BestAccuracy, BestLoss = stopping.BestLoss,
                EpochsWithoutImprovement = stopping.EpochsWithoutImprovement,
            },
            Plateau = schedule.Plateau,
            Weights = Save(network.Module),
            OptimizerState = optimizerState.ToArray(),
            BestWeights = bestWeights,
        }.Save(options.CheckpointFolder!);
    }

    private string Fingerprint(DecodedImageSet train, DecodedImageSet? validation, int classCount, string augmentation)
    {
        var o = options;
        return string.Join("|", o.Mode, o.Seed, o.Epochs, o.BatchSize, o.Optimizer, o.EffectiveLearningRate.ToString("R"), o.BackboneLearningRateFactor.ToString("R"),
            o.Momentum.ToString("R"), o.Nesterov, o.WeightDecay.ToString("R"), o.Schedule, o.WarmupEpochs.ToString("R"), o.Gamma.ToString("R"),
            o.StepEpochs, o.LabelSmoothing.ToString("R"), o.ClassWeights, o.BalancedSampler, o.HeadEpochs, o.EarlyStoppingMetric,
            o.EarlyStoppingPatience, o.EarlyStoppingMinDelta.ToString("R"), o.SelectionWindow, augmentation, classCount,
            train.Size, string.Join(",", train.Paths), validation is null ? "" : string.Join(",", validation.Paths));
    }

    private static int[] Shuffled(int count, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <summary>The module's weights and buffers as bytes (TorchSharp's format).</summary>
    public static byte[] Save(nn.Module module)
    {
        using var stream = new MemoryStream();
        module.save(stream);
        return stream.ToArray();
    }

    /// <summary>Loads weights saved by <see cref="Save"/>.</summary>
    public static void Load(nn.Module module, byte[] weights)
    {
        using var stream = new MemoryStream(weights);
        module.load(stream);
    }
}
