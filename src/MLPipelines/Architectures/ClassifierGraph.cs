using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>The start and end every built-in architecture shares: validated options, the <c>input</c> tensor, and the outputs plus metadata.</summary>
internal static class ClassifierGraph
{
    /// <summary>Validates <paramref name="options"/> and opens a builder with the image input.</summary>
    public static (GraphBuilder Builder, GraphTensor Input) Start(string architecture, ArchitectureOptions options)
    {
        options.Validate(architecture);
        var builder = new GraphBuilder(architecture, options.Seed);
        var input = builder.Input(ClassifierTensors.Input, options.InputChannels, options.InputSize, options.InputSize);
        return (builder, input);
    }

    /// <summary>Declares the outputs <c>logits</c> and <c>features</c> and builds the model with its provenance in metadata.</summary>
    public static ModelProto Finish(GraphBuilder builder, GraphTensor logits, GraphTensor features, string architecture,
        ArchitectureOptions options, string description)
    {
        if (logits.Name != ClassifierTensors.Logits || features.Name != ClassifierTensors.Features)
            throw new InvalidOperationException($"{architecture}: outputs must be named '{ClassifierTensors.Logits}' and '{ClassifierTensors.Features}'");
        return builder.Output(logits).Output(features).Build(description,
        [
            new(ClassifierTensors.ArchitectureMetadataKey, architecture),
            new(ClassifierTensors.OptionsMetadataKey, options.Describe()),
        ]);
    }
}
