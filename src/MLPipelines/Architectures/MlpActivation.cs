namespace MLPipelines.Architectures;

/// <summary>The nonlinearity of an <see cref="Mlp"/>'s hidden layers.</summary>
public enum MlpActivation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x), built as 2·sigmoid(2x) − 1.</summary>
    Tanh,
}
