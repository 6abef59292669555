using System.Text;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Reports;
using MLPipelines.Scoring;

namespace MLPipelines.Visualization;

/// <summary>
/// Looks inside a CNN for one image: the top-5 predictions, the first layer's filters, and the first layer's activation maps
/// before and after the activation. Writes a Markdown report with PNGs; other sections (e.g. Grad-CAM, which needs gradients
/// from the TorchSharp bridge) can be added by the caller.
/// </summary>
public sealed class NetworkVisualizer(AssetLocator assets)
{
    /// <summary>The standard sections for <paramref name="card"/> and <paramref name="imagePath"/>, with PNGs written to <paramref name="folder"/>.</summary>
    public IReadOnlyList<VisualizationSection> Sections(ModelCard card, string modelPath, string imagePath, string folder)
    {
        Directory.CreateDirectory(folder);
        var sections = new List<VisualizationSection>();
        if (card.Labels is not null)
        {
            string labels = assets.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile(card.Labels.File));
            var prediction = ImageClassifier.Create(card, modelPath, labels, assets.CacheRoot).Classify([imagePath], 5).Predictions[0];
            var table = new MarkdownTable("Rank", "Class", "Output index", "Probability").AlignRight(0, 2, 3);
            for (int i = 0; i < prediction.Top.Count; i++)
                table.Add(i + 1, prediction.Top[i].Name, prediction.Top[i].Index, ReportFormat.Percent(prediction.Top[i].Probability));
            sections.Add(new VisualizationSection("Top-5 predictions", table.ToString()));
        }

        var model = OnnxModelFile.Load(modelPath);
        var convolution = FirstConvolution.Find(model);
        var grid = FilterGrid.Create(convolution, card.Preprocessing.ChannelOrder == ChannelOrder.Bgr);
        grid.Save(Path.Combine(folder, "filters.png"));
        sections.Add(new VisualizationSection("First-layer filters",
            $"All {convolution.FilterCount} filters of `{convolution.Node.Name}` ({convolution.InputChannels}×{convolution.KernelHeight}×{convolution.KernelWidth}) " +
            $"in a {grid.Rows}×{grid.Columns} grid; each filter is scaled to [0, 1] on its own and enlarged with nearest-neighbour.\n\n![filters](filters.png)"));

        var maps = ActivationMaps.Compute(model, card, imagePath);
        var text = new StringBuilder($"The first {maps.Before.Count} channels of `{convolution.Node.Name}`'s output " +
            $"({maps.Before[0].GetLength(0)}×{maps.Before[0].GetLength(1)}) for the image, on one colour scale " +
            $"[{maps.SharedRange().Min:0.##}, {maps.SharedRange().Max:0.##}].\n\n");
        maps.Save(Path.Combine(folder, "activations-before.png"), afterActivation: false);
        text.Append("Before the activation:\n\n![activations before](activations-before.png)\n\n");
        if (maps.Save(Path.Combine(folder, "activations-after.png"), afterActivation: true))
            text.Append($"After {convolution.ActivationOp}:\n\n![activations after](activations-after.png)\n");
        else
            text.Append("No activation follows this convolution directly.\n");
        sections.Add(new VisualizationSection("Activation maps", text.ToString()));
        return sections;
    }

    /// <summary>Writes report.md from <paramref name="sections"/> into <paramref name="folder"/>; returns its path.</summary>
    public static string WriteReport(string folder, ModelCard card, string imagePath, IEnumerable<VisualizationSection> sections)
    {
        var md = new StringBuilder($"# Inside {card.Name}: {Path.GetFileName(imagePath)}\n\n");
        md.Append($"Model: {card.Name} ({card.Architecture}), input {card.Input}, preprocessing {card.Preprocessing.Fingerprint}. Image: `{imagePath}`.\n\n");
        foreach (var section in sections)
            md.Append($"## {section.Title}\n\n{section.Markdown.TrimEnd()}\n\n");
        string path = Path.Combine(folder, "report.md");
        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }
}
