namespace MLPipelines.Reports.Plots;

/// <summary>
/// Several charts in one image, filled row by row into <see cref="Columns"/> columns (e.g. a 2×2 grid of training curves,
/// one per dataset pair), under an optional overall title. Panels keep their own titles, axes and legends.
/// </summary>
public sealed record ChartGrid(IReadOnlyList<Chart> Panels) : Figure
{
    public int Columns { get; init; } = 2;

    internal int Rows => (Panels.Count + Columns - 1) / Columns;

    /// <summary>Each panel gets roughly the area of a single chart scaled down to 600×400.</summary>
    internal override (int Width, int Height) DefaultSize => (600 * Math.Min(Columns, Panels.Count), 400 * Rows + (string.IsNullOrEmpty(Title) ? 0 : 40));

    internal override void Validate()
    {
        if (Panels is null || Panels.Count == 0)
            throw new ArgumentException($"{Named("Chart grid")} has no panels.");
        if (Columns < 1)
            throw new ArgumentException($"{Named("Chart grid")} has {Columns} columns; it needs at least one.");
        for (int i = 0; i < Panels.Count; i++)
        {
            if (Panels[i] is null)
                throw new ArgumentException($"{Named("Chart grid")} panel {i} is null.");
            try
            {
                Panels[i].Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{Named("Chart grid")} panel {i}: {e.Message}", e);
            }
        }
    }
}
