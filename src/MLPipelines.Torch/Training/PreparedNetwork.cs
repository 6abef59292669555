namespace MLPipelines.Torch.Training;

/// <summary>A network ready to train, the input normalization it expects and a description for reports.</summary>
/// <param name="Network">The network (head included).</param>
/// <param name="Normalization">Normalization of [0,1] pixels before the network (training applies it; export puts it in the graph).</param>
/// <param name="Description">e.g. "mobilenetv2-1.0-bn-features cut at features + linear head (7 classes)".</param>
public sealed record PreparedNetwork(IExportableNetwork Network, Normalization Normalization, string Description);

/// <summary>Builds the network for a training run from the options, the class count and the decoded training images.</summary>
public delegate PreparedNetwork NetworkBuilder(ImageClassificationTrainer.Options options, int classCount, DecodedImageSet train);
