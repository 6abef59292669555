using System.CommandLine;
using System.Globalization;
using MLPipelines.Data;
using MLPipelines.Torch.Training;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>lr-find --data &lt;folder&gt;</c>: the learning-rate range test of the TorchSharp trainer on an image folder's training
/// split, plotted as loss against learning rate (log x) with the suggested rates.
/// </summary>
internal static class FineTuneCommands
{
    public static Command LearningRateFinder()
    {
        var data = new Option<string>("--data") { Description = "Image folder with one subfolder per class", Required = true };
        var trainFraction = new Option<double>("--train-fraction") { Description = "Fraction of each class used (stratified, seeded)", DefaultValueFactory = _ => 0.1 };
        var mode = new Option<TrainingMode>("--mode") { Description = "scratch, head-only, full or gradual", DefaultValueFactory = _ => TrainingMode.Full };
        var architecture = new Option<string>("--architecture") { Description = "Built-in architecture for scratch", DefaultValueFactory = _ => "resnet18" };
        var size = new Option<int>("--image-size") { Description = "Training image side", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => 16 };
        var optimizer = new Option<OptimizerKind>("--optimizer") { Description = "Sgd or AdamW", DefaultValueFactory = _ => OptimizerKind.Sgd };
        var augmentation = new Option<string>("--augmentation") { Description = "Augmentation preset or spec text (see docs/augmentation.md)", DefaultValueFactory = _ => "none" };
        var minRate = new Option<double>("--min-lr") { Description = "First learning rate", DefaultValueFactory = _ => 1e-6 };
        var maxRate = new Option<double>("--max-lr") { Description = "Last learning rate", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Steps of the exponential ramp", DefaultValueFactory = _ => 100 };
        var plot = new Option<string>("--plot") { Description = "PNG file for the loss curve", DefaultValueFactory = _ => "lr-finder.png" };
        var command = new Command("lr-find", "Learning-rate range test: train while the rate grows exponentially and plot loss against rate")
        {
            data, trainFraction, mode, architecture, size, batch, optimizer, augmentation, minRate, maxRate, steps, plot,
        };
        command.Options.Add(CommonOptions.Seed);
        command.Options.Add(CommonOptions.Backbone);
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            int seed = parse.GetValue(CommonOptions.Seed) ?? 42;
            var dataset = ImageFolderDataset.Load(parse.GetValue(data)!);
            double fraction = parse.GetValue(trainFraction);
            var images = fraction is > 0 and < 1
                ? StratifiedSplit.Take(dataset.Images, i => i.Label, i => i.Path, fraction, seed).Taken
                : [.. dataset.Images];
            var options = new ImageClassificationTrainer.Options
            {
                Mode = parse.GetValue(mode), Architecture = parse.GetValue(architecture)!, ImageSize = parse.GetValue(size),
                BatchSize = parse.GetValue(batch), Optimizer = parse.GetValue(optimizer), AugmentationSpec = parse.GetValue(augmentation)!,
                Seed = seed, Backbone = parse.GetValue(CommonOptions.Backbone) ?? new ImageClassificationTrainer.Options().Backbone,
            };
            options.Validate();
            TrainerNetworks.Assets = CommonOptions.Assets(parse);
            var (result, prepared, count) = ConsoleProgress.Run(progress =>
            {
                options.Progress = progress;
                return Find(options, dataset.Classes, images, parse.GetValue(minRate), parse.GetValue(maxRate), parse.GetValue(steps));
            });
            string path = parse.GetValue(plot)!;
            result.SavePlot(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{prepared}, {count} images, {result.LearningRates.Count} steps\nsteepest descent at lr={result.SteepestRate:0.###e+0}; minimum/10 at lr={result.MinimumOverTenRate:0.###e+0}\nplot: {Path.GetFullPath(path)}"));
            return 0;
        }));
        return command;
    }

    private static (LearningRateFinderResult Result, string Network, int Images) Find(ImageClassificationTrainer.Options options,
        IReadOnlyList<string> classNames, IReadOnlyList<LabeledImage> images, double minRate, double maxRate, int steps)
    {
        var classes = classNames.ToList();
        var train = DecodedImageSet.Decode(images.Select(i => i.Path).ToList(), images.Select(i => classes.IndexOf(i.Label)).ToList(),
            options.ImageSize, options.Threads, options.Progress);
        var prepared = TrainerNetworks.Build(options, classes.Count, train);
        using var network = prepared.Network;
        var result = new LearningRateFinder(options).Run(network, train, classes.Count, prepared.Normalization, minRate, maxRate, steps);
        return (result, prepared.Description, train.Count);
    }
}
