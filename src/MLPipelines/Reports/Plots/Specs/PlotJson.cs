using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLPipelines.Reports.Plots;

/// <summary>The one serializer setup both sides of the load-context boundary use for <see cref="PlotRequest"/>.</summary>
internal static class PlotJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // NaN marks missing points and cells; it must survive the trip so the renderer can skip it.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(PlotRequest request) => JsonSerializer.Serialize(request, Options);

    public static PlotRequest Deserialize(string json) =>
        JsonSerializer.Deserialize<PlotRequest>(json, Options) ?? throw new ArgumentException("Plot request JSON is null.");
}
