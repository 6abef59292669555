using System.CommandLine;
using System.Globalization;
using MLPipelines.Catalog;
using MLPipelines.Torch.Interpretability;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary><c>adversarial --model &lt;name&gt; &lt;image or folder&gt;…</c>: FGSM/PGD examples, success rate against ε, Markdown report.</summary>
internal static class AdversarialCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Catalog classifier to fool", DefaultValueFactory = _ => "mobilenetv2-7-classifier" };
        var method = new Option<AttackMethod>("--method") { Description = "fgsm (one step) or pgd (iterated, projected)", DefaultValueFactory = _ => AttackMethod.Pgd };
        var epsilons = new Option<string>("--epsilon", "-e") { Description = "L∞ budget(s) in pixel units of 0–255, comma-separated (e.g. 1,2,4,8)", DefaultValueFactory = _ => "1,2,4,8" };
        var steps = new Option<int>("--steps") { Description = "PGD iterations", DefaultValueFactory = _ => 10 };
        var stepSize = new Option<float?>("--step-size") { Description = "PGD step in pixel units (default: 2.5·ε/steps, at least 1)" };
        var target = new Option<string?>("--target", "-t") { Description = "Targeted attack: class name (or unique prefix) or index, e.g. 'tabby' or 'trailer truck'" };
        var randomStart = new Option<bool>("--random-start") { Description = "PGD starts from a random point of the ε-ball (seeded by --seed)" };
        var inputs = new Argument<string[]>("images") { Description = "Image files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("adversarial", "Fool a classifier with FGSM/PGD under an L∞ budget; report images, top-3, norms and success rate against ε")
        {
            model, method, epsilons, steps, stepSize, target, randomStart, CommonOptions.Seed, CommonOptions.Output, inputs,
        };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var images = ClassifyCommand.ExpandImages(parse.GetValue(inputs)!);
            var budgets = ParseEpsilons(parse.GetValue(epsilons)!);
            var assets = new AssetLocator(CommonOptions.Assets(parse));
            var stock = ClassifyCommand.Load(parse.GetValue(model)!, assets);
            using var classifier = DifferentiableClassifier.Load(stock.Card, assets.LocateModel(stock.Card), stock.Classes);
            var options = new AdversarialOptions
            {
                Method = parse.GetValue(method), Steps = parse.GetValue(steps), StepSize = parse.GetValue(stepSize),
                TargetClass = parse.GetValue(target) is { } t ? classifier.ClassIndex(t) : null,
                RandomStart = parse.GetValue(randomStart), Seed = parse.GetValue(CommonOptions.Seed) ?? 42,
            };
            string folder = Path.GetFullPath(Path.Combine(parse.GetValue(CommonOptions.Output)!, "adversarial",
                $"{stock.Card.Name}-{options.Method.ToString().ToLowerInvariant()}-{DateTime.Now:yyyyMMdd-HHmmss}"));
            var study = new AdversarialStudy(classifier, stock);
            var result = ConsoleProgress.Run(progress => study.Run(images, budgets, options, folder, progress));
            string report = study.WriteReport(result, folder);
            foreach (var (attack, epsilon, rate, count, fooled, _) in result.SuccessRates())
                AnsiConsole.MarkupLine($"{attack.ToString().ToUpperInvariant()} ε = {epsilon:g}: fooled {fooled} of {count} ({rate:P0})");
            foreach (var check in result.Checks.Where(c => !c.StockAgrees))
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(Path.GetFileName(check.PngPath))}: classify gives {Markup.Escape(check.StockTop1)}, not the attack's prediction[/]");
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(report)}");
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<float> ParseEpsilons(string text)
    {
        var values = new List<float>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            values.Add(float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && value >= 1 && value <= 255
                ? value
                : throw new ArgumentException($"--epsilon: '{part}' is not a budget between 1 and 255 pixel units"));
        return values.Count > 0 ? values : throw new ArgumentException("--epsilon: give at least one budget");
    }
}
