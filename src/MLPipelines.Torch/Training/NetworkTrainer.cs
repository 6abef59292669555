using System.Diagnostics;
using MLPipelines.Diagnostics;
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
        var stored = StoresBackboneOutputs(network, augmentation, batchAugmentation);
        var trimmer = new NativeHeapTrimmer(options.TrimNativeHeapEverySteps);
        string fingerprint = Fingerprint(train, validation, classCount, augmentation.Describe() + "|" + batchAugmentation?.Describe() + "|" + (stored is not null));
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

        // The frozen backbone's outputs, once per image, for the head to train on (see BackboneOutputCache).
        var storedTrain = stored is null ? null
            : BackboneOutputCache.For(stored, train, normalization, options.BatchSize, options.Progress, "backbone outputs of the training images");
        var storedValidation = stored is null || validation is null ? null
            : BackboneOutputCache.For(stored, validation, normalization, options.BatchSize, options.Progress, "backbone outputs of the validation images");

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
            network.SetTraining(true);
            using var loader = storedTrain is null
                ? new BatchLoader(train, order, options.BatchSize, classCount, normalization, augmentation, batchAugmentation,
                    options.Seed, epoch, options.PrefetchBatches)
                : null;
            var (trainLoss, trainAccuracy, lastRate, trainSeconds) = TrainEpoch(
                stored is null ? network.Module.forward : stored.HeadOutput, optimizer!, groupRates, schedule,
                loader?.Batches() ?? storedTrain!.Batches(order, options.BatchSize, classCount), classCount, classWeights, epoch,
                stepsPerEpoch, progress, trimmer);
            var (validationLoss, validationAccuracy) = validation is null
                ? (double.NaN, double.NaN)
                : (storedValidation?.Evaluate(stored!, options.BatchSize) ?? Evaluate(network, validation, normalization, options.BatchSize))
                    .Summary(validation.Labels);
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
            HeadTrainedOnStoredBackboneOutputs = stored is not null,
        };
    }

    // One epoch over batches of images (forward: the whole network) or of stored backbone outputs (forward: the head).
    private (double Loss, double Accuracy, double LastRate, double Seconds) TrainEpoch(Func<Tensor, Tensor> forward, torch.optim.Optimizer optimizer,
        double[] groupRates, LearningRateSchedule schedule, IEnumerable<TrainingBatch> batches, int classCount, Tensor? classWeights,
        int epoch, int stepsPerEpoch, TrainingProgress progress, NativeHeapTrimmer trimmer)
    {
        double lossSum = 0, lastRate = 0;
        int correct = 0, seen = 0, batchIndex = 0;
        var compute = new Stopwatch();
        foreach (var batch in batches)
        {
            compute.Start();
            double factor = schedule.Factor((epoch - 1) * stepsPerEpoch + batchIndex);
            OptimizerFactory.SetRates(optimizer, groupRates, factor);
            lastRate = options.EffectiveLearningRate * factor;
            var (loss, right) = Step(forward, optimizer, batch, classCount, options.LabelSmoothing, classWeights);
            lossSum += loss * batch.Count;
            correct += right;
            seen += batch.Count;
            trimmer.StepCompleted();
            compute.Stop();
            progress.Batch(epoch, batchIndex, lossSum / seen, seen / compute.Elapsed.TotalSeconds);
            batchIndex++;
        }
        return (lossSum / seen, (double)correct / seen, lastRate, compute.Elapsed.TotalSeconds);
    }

    /// <summary>Whether the backbone is frozen during <paramref name="epoch"/> (1-based) under <paramref name="options"/>' mode.</summary>
    public static bool BackboneFrozenAt(ImageClassificationTrainer.Options options, int epoch) =>
        options.Mode == TrainingMode.HeadOnly || (options.Mode == TrainingMode.Gradual && epoch <= options.HeadEpochs);

    /// <summary>
    /// The network to train with stored backbone outputs, or null: only a head-only run without augmentation (the backbone
    /// then sees the same images every epoch), on a network that can run its head alone, with the option on.
    /// </summary>
    private ISeparableHeadNetwork? StoresBackboneOutputs(ITrainableNetwork network, Imaging.Augmentation.IImageAugmentation augmentation,
        Imaging.Augmentation.IBatchAugmentation? batchAugmentation) =>
        options.StoreFrozenBackboneOutputs && options.Mode == TrainingMode.HeadOnly && batchAugmentation is null
        && augmentation is Imaging.Augmentation.AugmentationPipeline { Steps.Count: 0 }
        && network is ISeparableHeadNetwork { CanTrainHeadOnStoredFeatures: true } separable
            ? separable
            : null;

    /// <summary>
    /// One optimizer step on <paramref name="batch"/> through <paramref name="forward"/> (the network, or its head on stored
    /// backbone outputs); returns the batch loss and how many arg-max predictions hit the label.
    /// </summary>
    internal static (double Loss, int Correct) Step(Func<Tensor, Tensor> forward, torch.optim.Optimizer optimizer, TrainingBatch batch,
        int classCount, double labelSmoothing, Tensor? classWeights)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(batch.Pixels, batch.InputShape);
        var targets = torch.tensor(batch.Targets, [batch.Count, classCount]);
        optimizer.zero_grad();
        var logits = forward(input);
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
        return new EvaluationResult(ForwardInBatches(images, normalization, batchSize, network.Module.forward, out _));
    }

    /// <summary>
    /// <paramref name="forward"/> of every image of <paramref name="images"/> without gradients, batch by batch, as one flat
    /// array per image; <paramref name="sampleShape"/> is one image's output shape. The caller sets the training mode.
    /// </summary>
    internal static List<float[]> ForwardInBatches(DecodedImageSet images, Normalization normalization, int batchSize,
        Func<Tensor, Tensor> forward, out long[] sampleShape, IProgress<ProgressUpdate>? progress = null, string task = "")
    {
        var outputs = new List<float[]>();
        sampleShape = [];
        using var noGrad = torch.no_grad();
        for (int start = 0; start < images.Count; start += batchSize)
        {
            var pictures = Enumerable.Range(start, Math.Min(batchSize, images.Count - start)).Select(i => images.Images[i]).ToList();
            var batch = BatchLoader.ToBatch(pictures, [], [], normalization);
            using var scope = torch.NewDisposeScope();
            var output = forward(torch.tensor(batch.Pixels, batch.InputShape));
            sampleShape = output.shape[1..];
            SplitRows(output, outputs);
            progress?.Report(new ProgressUpdate(task, outputs.Count, images.Count));
        }
        return outputs;
    }

    /// <summary>Appends each row of <paramref name="output"/> (first dimension = images), flattened, to <paramref name="rows"/>.</summary>
    internal static void SplitRows(Tensor output, List<float[]> rows)
    {
        var values = output.contiguous().data<float>().ToArray();
        int n = (int)output.shape[0], k = values.Length / Math.Max(n, 1);
        for (int i = 0; i < n; i++) rows.Add(values.AsSpan(i * k, k).ToArray());
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
            o.EarlyStoppingPatience, o.EarlyStoppingMinDelta.ToString("R"), o.SelectionWindow, o.FreezeBatchNormStatistics, augmentation, classCount,
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
