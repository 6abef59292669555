namespace MLPipelines.Architectures;

/// <summary>Which fan scales a Kaiming initialization.</summary>
public enum FanMode
{
    /// <summary>Preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Preserves the variance of gradients in the backward pass (torchvision's choice for ResNet and MobileNetV2).</summary>
    FanOut,
}
