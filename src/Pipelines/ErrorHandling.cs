using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Imaging;
using MLPipelines.Onnx;
using MLPipelines.Pipelines;
using Spectre.Console;

namespace MLPipelines.Cli;

/// <summary>
/// Turns failures into one clear line on standard error and a non-zero exit code. Bad input (missing data, bad YAML, corrupt
/// model) exits with 2; anything else with 1. Stack traces only with --verbose.
/// </summary>
internal static class ErrorHandling
{
    public const int BadInput = 2, Failure = 1;

    public static int Run(bool verbose, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Report(e, verbose);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("error: cancelled");
            return Failure;
        }
        catch (Exception e)
        {
            Report(e, verbose);
            if (!verbose) Console.Error.WriteLine("(run again with --verbose for details)");
            return Failure;
        }
    }

    private static bool IsBadInput(Exception e) => e is CatalogException or AssetNotFoundException or ChecksumMismatchException
        or DataException or InvalidImageException or OnnxFormatException or PipelineException or ArgumentException or FileNotFoundException
        or DirectoryNotFoundException;

    private static void Report(Exception e, bool verbose)
    {
        string message = (e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : e).Message;
        Console.Error.WriteLine($"error: {message.Split('\n')[0].Trim()}");
        if (verbose) AnsiConsole.WriteException(e);
    }
}
