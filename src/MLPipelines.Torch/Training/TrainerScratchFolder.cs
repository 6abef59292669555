using System.Diagnostics;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Where a fit without <see cref="ImageClassificationTrainer.Options.ModelFolder"/> writes its network.onnx: a folder under
/// the temp directory named after the process. ML.NET's OnnxTransformer reads that file again when the model is saved, so it
/// must outlive the fit and cannot be deleted when the fit returns; instead each new folder first removes the folders of
/// processes that have exited.
/// </summary>
public static class TrainerScratchFolder
{
    /// <summary>The default root: <c>&lt;temp&gt;/mlpipelines-trainer</c>.</summary>
    public static string DefaultRoot => Path.Combine(Path.GetTempPath(), "mlpipelines-trainer");

    /// <summary>
    /// Creates <c>&lt;root&gt;/&lt;process id&gt;-&lt;guid&gt;</c> after deleting the folders under <paramref name="root"/>
    /// whose process is no longer running. Folders of running processes, and folders not named this way, are left alone.
    /// </summary>
    public static string Create(string? root = null)
    {
        root ??= DefaultRoot;
        RemoveFoldersOfExitedProcesses(root);
        return Directory.CreateDirectory(Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
    }

    /// <summary>Deletes the folders under <paramref name="root"/> that belong to processes which have exited; returns how many.</summary>
    public static int RemoveFoldersOfExitedProcesses(string root)
    {
        if (!Directory.Exists(root)) return 0;
        int removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(folder);
            int dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out int processId) || IsRunning(processId)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process may be sweeping the same folder, or it belongs to another user: leave it.
            }
        }
        return removed;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
