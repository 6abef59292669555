// A stand-in for a user's app that embeds a model.zip written by MLPipelines. It references only stock ML.NET packages.
// Usage: StockModelConsumer <model.zip> <image>...   (or "-" to read image paths from standard input, one per line)
// Prints one JSON object per image: path, predicted label, scores, and the class names of the score slots.
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: StockModelConsumer <model.zip> <image>... | -");
    return 2;
}

var mlContext = new MLContext();
var model = mlContext.Model.Load(args[0], out _);
var engine = mlContext.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);

// Models trained with ML.NET trainers name the score slots after the classes; ONNX classifiers may not.
string[]? classes = null;
if (engine.OutputSchema["Score"].HasSlotNames())
{
    var classNames = new VBuffer<ReadOnlyMemory<char>>();
    engine.OutputSchema["Score"].GetSlotNames(ref classNames);
    classes = classNames.DenseValues().Select(name => name.ToString()).ToArray();
}

var paths = args.Length == 2 && args[1] == "-"
    ? ReadLines(Console.In)
    : args.Skip(1);
foreach (var path in paths)
{
    var prediction = engine.Predict(new ImageInput { ImagePath = path });
    Console.WriteLine(JsonSerializer.Serialize(new { path, predictedLabel = prediction.PredictedLabel, score = prediction.Score, classes }));
}
return 0;

static IEnumerable<string> ReadLines(TextReader reader)
{
    while (reader.ReadLine() is { } line)
        if (line.Length > 0)
            yield return line;
}

/// <summary>The input every MLPipelines model.zip expects: the path of an image file.</summary>
public sealed class ImageInput
{
    public string ImagePath { get; set; } = "";
}

/// <summary>What every MLPipelines model.zip predicts: the class name and one probability per class.</summary>
public sealed class ImagePrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
