using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLPipelines.Training;

/// <summary>
/// Turns a column of class logits computed by an ONNX graph into ML.NET's standard multiclass outputs: <c>Score</c> (softmax
/// probabilities whose slot names are the class names) and <c>PredictedLabel</c> (the class name, as text).
/// </summary>
/// <remarks>
/// Why this exists: ML.NET's OnnxTransformer exposes every ONNX output as a vector column, and no stock transform reduces a
/// vector to a scalar, so an ONNX arg-max cannot become a text <c>PredictedLabel</c>. ML.NET's own multiclass predictors do
/// exactly that. This head is a <see cref="MaximumEntropyModelParameters"/> with identity weights and zero bias:
/// softmax(I·x + 0) = softmax(x). Its constructors are internal, so it is built by reflection (against ML.NET 5.0.1, checked
/// by tests); the saved model.zip contains only standard ML.NET components and loads in any app that references Microsoft.ML.
/// </remarks>
public static class LogitsPredictionHead
{
    /// <summary>The head for <paramref name="classes"/>, reading logits from <paramref name="logitsColumn"/>.</summary>
    public static ITransformer Create(MLContext mlContext, IReadOnlyList<string> classes, string logitsColumn = ColumnNames.Logits)
    {
        int k = classes.Count;
        if (k < 2) throw new ArgumentException("a classifier needs at least two classes");
        var trainingSchema = TrainingSchema(mlContext, classes, logitsColumn);
        var weights = Enumerable.Range(0, k).Select(i =>
        {
            var row = new float[k];
            row[i] = 1;
            return new VBuffer<float>(k, row);
        }).ToArray();
        var parameters = (MaximumEntropyModelParameters)Construct(typeof(MaximumEntropyModelParameters),
            c => c.GetParameters().Length == 7 && c.GetParameters()[1].ParameterType == typeof(VBuffer<float>[]),
            mlContext, weights, new float[k], k, k, classes.ToArray(), null);
        var predictor = (ITransformer)Construct(typeof(MulticlassPredictionTransformer<MaximumEntropyModelParameters>),
            c => c.GetParameters().Length == 7 && c.GetParameters()[2].ParameterType == typeof(DataViewSchema),
            mlContext, parameters, trainingSchema.Schema, logitsColumn, ColumnNames.Label, ColumnNames.Score, ColumnNames.PredictedLabel);
        var keyToValue = mlContext.Transforms.Conversion.MapKeyToValue(ColumnNames.PredictedLabel).Fit(predictor.Transform(trainingSchema));
        return new TransformerChain<ITransformer>(predictor, keyToValue);
    }

    // A view with the logits column and a key-typed Label whose key values are the class names: the predictor takes its
    // class names (Score slot names, PredictedLabel values) from this schema, as after training. The logits column has the
    // type ML.NET's OnnxTransformer gives an [N, K] output: a [1, K] vector (the batch dimension is kept as 1).
    private static IDataView TrainingSchema(MLContext mlContext, IReadOnlyList<string> classes, string logitsColumn)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Logits)].ColumnName = logitsColumn;
        definition[nameof(Row.Logits)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, classes.Count);
        var data = mlContext.Data.LoadFromEnumerable(classes.Select(c => new Row { Label = c, Logits = new float[classes.Count] }).ToList(), definition);
        var keyData = mlContext.Data.LoadFromEnumerable(classes.Select(c => new ClassName { Label = c }).ToList());
        return mlContext.Transforms.Conversion.MapValueToKey(ColumnNames.Label, ColumnNames.Label, keyData: keyData).Fit(data).Transform(data);
    }

    private static object Construct(Type type, Func<ConstructorInfo, bool> match, params object?[] arguments)
    {
        var constructor = type.GetConstructors(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(match)
            ?? throw new InvalidOperationException($"{type.Name} has no constructor of the expected shape; this ML.NET version is not supported (built for 5.0.1)");
        return constructor.Invoke(arguments);
    }

    private sealed class Row
    {
        public string Label { get; set; } = "";
        public float[] Logits { get; set; } = [];
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
