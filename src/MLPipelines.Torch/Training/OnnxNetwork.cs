using MLPipelines.Torch.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// <see cref="IExportableNetwork"/> and <see cref="ISeparableHeadNetwork"/> over the ONNX bridge's <see cref="OnnxModule"/>. A module without a head added by
/// <see cref="OnnxModule.WithClassificationHead"/> (a scratch architecture, a continued classifier) is all head: every
/// parameter trains at the head learning rate and nothing is frozen.
/// </summary>
public sealed class OnnxNetwork(OnnxModule module) : IExportableNetwork, ISeparableHeadNetwork
{
    private readonly bool _hasHead = module.HeadParameters().Count > 0;

    /// <summary>The bridged module.</summary>
    public OnnxModule Onnx { get; } = module;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Module => Onnx;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> HeadParameters() => _hasHead ? Onnx.HeadParameters() : [.. Onnx.parameters()];

    /// <inheritdoc />
    public IReadOnlyList<Parameter> BackboneParameters() => _hasHead ? Onnx.BackboneParameters() : [];

    /// <inheritdoc />
    public void FreezeBackbone()
    {
        foreach (var p in BackboneParameters()) p.requires_grad = false;
    }

    /// <inheritdoc />
    public void UnfreezeBackbone()
    {
        foreach (var p in BackboneParameters()) p.requires_grad = true;
    }

    /// <inheritdoc />
    /// <remarks>Frozen batch normalization keeps its running statistics through the bridge's
    /// <see cref="OnnxModuleOptions.FrozenBatchNormUsesRunningStatistics"/>, which <see cref="TrainerNetworks"/> turns on.</remarks>
    public void SetTraining(bool training) => Onnx.train(training);

    /// <inheritdoc />
    public bool CanTrainHeadOnStoredFeatures => _hasHead && Onnx.BackboneIgnoresTrainingMode;

    /// <inheritdoc />
    public Tensor BackboneOutput(Tensor images)
    {
        bool training = Onnx.training;
        Onnx.train(false);
        try
        {
            return Onnx.Forward(images, Onnx.HeadInputName!);
        }
        finally
        {
            Onnx.train(training);
        }
    }

    /// <inheritdoc />
    public Tensor HeadOutput(Tensor backboneOutput) => Onnx.ForwardHead(backboneOutput);

    /// <inheritdoc />
    public void Export(string onnxPath, string inputName, string logitsName, Normalization normalization)
    {
        bool identity = normalization.Mean.All(m => m == 0) && normalization.Std.All(s => s == 1);
        Onnx.Save(onnxPath, new OnnxExportOptions
        {
            InputName = inputName,
            LogitsName = logitsName,
            Mean = identity ? null : normalization.Mean,
            Std = identity ? null : normalization.Std,
            Scale = 1f, // ML.NET's ExtractPixels already scales by 1/255
        });
    }

    /// <inheritdoc />
    public void Dispose() => Onnx.Dispose();
}
