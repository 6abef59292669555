using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// An ONNX graph compiled to a flat list of kernel calls over an array of tensor slots. Tensor names were resolved to slot
/// numbers once; a run only indexes arrays. Intermediate tensors are disposed right after their last consumer so that eval
/// runs keep only the live activations.
/// </summary>
internal sealed class CompiledGraph : IDisposable
{
    /// <summary>One node: its kernel, input and output slots, and the slots whose last reader it is.</summary>
    internal sealed record Step(OnnxKernel Kernel, int[] Inputs, int[] Outputs, int[] Release, string Description);

    private readonly Step[] _steps;
    private readonly (int Slot, Tensor Value)[] _preloaded;
    private readonly int[] _inputSlots;
    private readonly int[] _producer;
    private readonly List<Tensor> _ownedConstants;

    internal CompiledGraph(Step[] steps, (int, Tensor)[] preloaded, int[] inputSlots, Dictionary<string, int> slots, List<Tensor> ownedConstants)
    {
        _steps = steps;
        _preloaded = preloaded;
        _inputSlots = inputSlots;
        Slots = slots;
        _ownedConstants = ownedConstants;
        _producer = Enumerable.Repeat(-1, slots.Count).ToArray();
        for (int i = 0; i < steps.Length; i++)
            foreach (int slot in steps[i].Outputs)
                _producer[slot] = i;
    }

    /// <summary>Tensor name → slot; used when compiling and to resolve a requested output once.</summary>
    public IReadOnlyDictionary<string, int> Slots { get; }

    public int StepCount => _steps.Length;

    /// <summary>The slot of tensor <paramref name="name"/>, or an error listing what exists.</summary>
    public int SlotOf(string name) => Slots.TryGetValue(name, out int slot)
        ? slot
        : throw new ArgumentException($"the graph has no tensor named '{name}'");

    /// <summary>
    /// Runs the graph on <paramref name="inputs"/> (in graph input order) up to the last of <paramref name="outputSlots"/>
    /// and returns those tensors; they belong to the caller's dispose scope.
    /// </summary>
    public Tensor[] Run(Tensor[] inputs, int[] outputSlots, bool training)
    {
        using var scope = torch.NewDisposeScope();
        var values = new Tensor?[Slots.Count];
        foreach (var (slot, value) in _preloaded)
            values[slot] = value;
        for (int i = 0; i < _inputSlots.Length; i++)
            values[_inputSlots[i]] = inputs[i];
        int last = outputSlots.Max(s => _producer[s]);
        var keep = new HashSet<int>(outputSlots);
        for (int s = 0; s <= last; s++)
        {
            var step = _steps[s];
            var arguments = new Tensor?[step.Inputs.Length];
            for (int i = 0; i < arguments.Length; i++)
                arguments[i] = step.Inputs[i] < 0 ? null : values[step.Inputs[i]];
            var results = step.Kernel(arguments, training);
            for (int o = 0; o < step.Outputs.Length && o < results.Length; o++)
                if (step.Outputs[o] >= 0)
                    values[step.Outputs[o]] = results[o];
            foreach (int slot in step.Release)
                if (!keep.Contains(slot))
                {
                    values[slot]!.Dispose();
                    values[slot] = null;
                }
        }
        var outputs = new Tensor[outputSlots.Length];
        for (int i = 0; i < outputSlots.Length; i++)
        {
            var value = values[outputSlots[i]] ?? throw new InvalidOperationException($"tensor slot {outputSlots[i]} was not computed");
            // A graph input or a parameter returned as an output is handed out as an alias, never as the original handle.
            bool produced = _producer[outputSlots[i]] >= 0;
            outputs[i] = (produced ? value : value.alias()).MoveToOuterDisposeScope();
        }
        return outputs;
    }

    public void Dispose()
    {
        foreach (var tensor in _ownedConstants)
            tensor.Dispose();
        _ownedConstants.Clear();
    }
}
