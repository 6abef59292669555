using System.Text.Json;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Everything needed to continue a run after an epoch: network weights (with batch-norm statistics), optimizer state
/// (momentum, Adam moments), schedule and early-stopping state, history and the best epoch's weights. Random draws are
/// derived from (seed, epoch, index), so no generator position needs saving. One file, <c>checkpoint.bin</c>, written
/// atomically after every epoch: an interruption leaves the previous epoch's checkpoint intact.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>File name inside the checkpoint folder.</summary>
    public const string FileName = "checkpoint.bin";

    private const string Magic = "mlpipelines-trainer-checkpoint-v1";

    // Infinity and NaN occur (no validation set, untouched plateau state) and must survive the round trip.
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Last completed epoch (1-based).</summary>
    public int Epoch { get; set; }

    /// <summary>A fingerprint of the settings that must match to resume (seed, sizes, schedule...).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Metrics of every completed epoch.</summary>
    public List<EpochMetrics> History { get; set; } = [];

    /// <summary>Early-stopping state.</summary>
    public EarlyStoppingState Stopping { get; set; } = new();

    /// <summary>Reduce-on-plateau state.</summary>
    public LearningRateSchedule.PlateauState Plateau { get; set; } = new();

    /// <summary>Network weights after <see cref="Epoch"/> (TorchSharp's <c>Module.save</c> format).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] Weights { get; set; } = [];

    /// <summary>Optimizer state (TorchSharp's <c>save_state_dict</c> format).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] OptimizerState { get; set; } = [];

    /// <summary>Weights of the best epoch so far.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] BestWeights { get; set; } = [];

    /// <summary>Writes the checkpoint to <paramref name="folder"/> atomically.</summary>
    public void Save(string folder) =>
        AtomicFile.WriteStream(Path.Combine(folder, FileName), stream =>
        {
            using var writer = new BinaryWriter(stream);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(this, JsonOptions));
            foreach (var bytes in new[] { Weights, OptimizerState, BestWeights })
            {
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        });

    /// <summary>The checkpoint in <paramref name="folder"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this format.</exception>
    public static TrainingCheckpoint? Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path}: not a trainer checkpoint (wrong header)");
            var checkpoint = JsonSerializer.Deserialize<TrainingCheckpoint>(reader.ReadString(), JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty checkpoint state");
            checkpoint.Weights = reader.ReadBytes(reader.ReadInt32());
            checkpoint.OptimizerState = reader.ReadBytes(reader.ReadInt32());
            checkpoint.BestWeights = reader.ReadBytes(reader.ReadInt32());
            return checkpoint;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt checkpoint ({e.Message})", e);
        }
    }

    /// <summary>Serializable copy of <see cref="EarlyStopping"/>'s state.</summary>
    public sealed class EarlyStoppingState
    {
        /// <summary>Best epoch.</summary>
        public int BestEpoch { get; set; }
        /// <summary>Best validation accuracy.</summary>
        public double BestAccuracy { get; set; } = double.NegativeInfinity;
        /// <summary>Validation loss of the best epoch.</summary>
        public double BestLoss { get; set; } = double.PositiveInfinity;
        /// <summary>Epochs without improvement.</summary>
        public int EpochsWithoutImprovement { get; set; }
    }
}
