using System.CommandLine;
using MLPipelines.Catalog;
using MLPipelines.Pipelines;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary><c>list [pipelines|datasets|models]</c>: what the catalog and the pipelines folder offer, and where each item is found.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = "pipelines, datasets or models (default: all)", DefaultValueFactory = _ => "all" };
        what.AcceptOnlyFromAmong("all", "pipelines", "datasets", "models");
        var command = new Command("list", "List pipelines, datasets and models, and where they were found") { what };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            string selection = parse.GetValue(what)!;
            var locator = new AssetLocator(CommonOptions.Assets(parse) with { AllowDownload = false });
            if (selection is "all" or "pipelines") Pipelines();
            if (selection is "all" or "datasets") Datasets(locator);
            if (selection is "all" or "models") Models(locator);
            return 0;
        }));
        return command;
    }

    private static void Pipelines()
    {
        var table = new Table().Title("Pipelines (dotnet run --project src/Pipelines -- <name>)").AddColumns("Name", "Description");
        foreach (var name in PipelineKinds.BuiltInNames())
            table.AddRow(name, Markup.Escape(PipelineKinds.BuiltIn(name).Description));
        AnsiConsole.Write(table);
    }

    private static void Datasets(AssetLocator locator)
    {
        var table = new Table().Title("Datasets").AddColumns("Name", "Kind", "Classes", "Found at");
        foreach (var card in DatasetCatalog.BuiltIn.Datasets)
        {
            string where;
            try
            {
                where = card.Kind == DatasetKind.ImageFolder
                    ? locator.LocateDirectory(AssetKind.Datasets, card.Folder, card.Name)
                    : string.Join(", ", card.Files.Select(f => Path.GetDirectoryName(locator.LocateFile(AssetKind.Datasets, f))).Distinct());
            }
            catch (Exception e) when (e is AssetNotFoundException or ChecksumMismatchException)
            {
                where = "[red]not found[/] (see README: Data and models)";
                table.AddRow(card.Name, card.Kind.ToString(), card.Classes.Count.ToString(), where);
                continue;
            }
            table.AddRow(card.Name, card.Kind.ToString(), card.Classes.Count.ToString(), Markup.Escape(where));
        }
        AnsiConsole.Write(table);
    }

    private static void Models(AssetLocator locator)
    {
        var table = new Table().Title("Models").AddColumns("Name", "Architecture", "Input", "Outputs", "Found at");
        foreach (var card in ModelCatalog.BuiltIn.Models)
        {
            string where;
            try
            {
                where = Markup.Escape(locator.LocateModel(card));
            }
            catch (Exception e) when (e is AssetNotFoundException or ChecksumMismatchException)
            {
                where = "[red]not found or checksum mismatch[/]";
            }
            table.AddRow(Markup.Escape(card.Name), Markup.Escape(card.Architecture), Markup.Escape(card.Input.ToString()),
                Markup.Escape(string.Join(", ", card.Outputs.Select(o => $"{o}:{o.Kind.ToString().ToLowerInvariant()}"))), where);
        }
        AnsiConsole.Write(table);
    }
}
