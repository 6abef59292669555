using System.Globalization;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Writes augmentation settings in the spec syntax (<c>name(arg=value, ...)</c>), so that every augmentation's
/// <see cref="IImageAugmentation.Describe"/> is also text <see cref="AugmentationSpec.Parse"/> reads back.
/// </summary>
public static class SpecFormat
{
    /// <summary>A number in invariant, shortest round-trip form.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A list of numbers: <c>[a, b, ...]</c>.</summary>
    public static string List(params double[] values) => $"[{string.Join(", ", values.Select(Number))}]";

    /// <summary>An enum value as a lower-case word.</summary>
    public static string Word<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary><c>name(a=x, b=y)</c> from (argument, formatted value) pairs.</summary>
    public static string Call(string name, params (string Argument, string Value)[] arguments) =>
        arguments.Length == 0 ? name : $"{name}({string.Join(", ", arguments.Select(a => $"{a.Argument}={a.Value}"))})";
}
