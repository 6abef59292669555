using System.Text;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// Maps ONNX initializer names to names TorchSharp accepts for registered parameters and buffers ('.' separates submodules
/// there, and state_dict keys must be stable): every character other than a letter, digit or '_' becomes '_', and a clash
/// gets a numeric suffix, so the map is one-to-one and the same for the same graph.
/// </summary>
internal sealed class TorchParameterNames
{
    private readonly Dictionary<string, string> _byOnnxName = new();
    private readonly HashSet<string> _used = new();

    public string Add(string onnxName)
    {
        var builder = new StringBuilder(onnxName.Length);
        foreach (char c in onnxName)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0])) builder.Insert(0, 'p');
        string name = builder.ToString(), candidate = name;
        for (int i = 2; !_used.Add(candidate); i++)
            candidate = $"{name}_{i}";
        _byOnnxName[onnxName] = candidate;
        return candidate;
    }

    public string this[string onnxName] => _byOnnxName[onnxName];

    public IReadOnlyDictionary<string, string> ByOnnxName => _byOnnxName;
}
