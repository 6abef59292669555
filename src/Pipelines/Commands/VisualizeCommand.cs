using System.CommandLine;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Pipelines;
using MLPipelines.Scoring;
using MLPipelines.Visualization;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary><c>visualize --model &lt;name|file.onnx&gt; --image &lt;photo&gt;</c>: filters, activation maps and predictions as a Markdown report.</summary>
internal static class VisualizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Catalog model or .onnx file", DefaultValueFactory = _ => "squeezenet1.0-tflite" };
        var image = new Option<string>("--image", "-i") { Description = "The image to look at", Required = true };
        var camClass = new Option<string?>("--cam-class") { Description = "Class for the second Grad-CAM map: name, unique prefix or index (default: the second-ranked class)" };
        var camLayer = new Option<string?>("--cam-layer") { Description = "Graph tensor for Grad-CAM (default: the last convolutional block, the input of global pooling)" };
        var command = new Command("visualize", "Look inside a CNN: top-5 predictions, first-layer filters, activation maps and Grad-CAM for an image")
        {
            model, image, camClass, camLayer, CommonOptions.Output,
        };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var assets = new AssetLocator(CommonOptions.Assets(parse));
            string imagePath = Path.GetFullPath(parse.GetValue(image)!);
            ImageDecoder.Decode(imagePath).Dispose(); // a bad image is named here, not deep inside ONNX Runtime
            string name = parse.GetValue(model)!;
            var (card, modelPath) = name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                ? OnnxFileCard.Create(name)
                : (ModelCatalog.BuiltIn.Get(name), assets.LocateModel(ModelCatalog.BuiltIn.Get(name)));
            string folder = Path.GetFullPath(Path.Combine(parse.GetValue(CommonOptions.Output)!, "visualize",
                $"{card.Name}-{Path.GetFileNameWithoutExtension(imagePath)}-{DateTime.Now:yyyyMMdd-HHmmss}"));
            var sections = new NetworkVisualizer(assets).Sections(card, modelPath, imagePath, folder).ToList();
            if (card.Labels is not null && card.Operators.Contains("Conv") && !card.Operators.Contains("QLinear"))
            {
                // Grad-CAM needs gradients: the network runs in TorchSharp through the ONNX bridge.
                var classes = ClassNames.Read(assets.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile(card.Labels.File)),
                    card.Labels, card.ClassifierOutput.ValuesPerExample);
                using var classifier = Torch.Interpretability.DifferentiableClassifier.Load(card, modelPath, classes);
                sections.Add(Torch.Interpretability.GradCamSection.Create(classifier, modelPath, imagePath, folder, parse.GetValue(camClass), parse.GetValue(camLayer)));
            }
            string report = NetworkVisualizer.WriteReport(folder, card, imagePath, sections);
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(report)}");
            return 0;
        }));
        return command;
    }
}
