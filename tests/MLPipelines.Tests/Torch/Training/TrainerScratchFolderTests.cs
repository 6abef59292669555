using System.Diagnostics;
using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Torch.Training;

public class TrainerScratchFolderTests
{
    [Fact]
    public void A_new_folder_removes_the_folders_of_exited_processes_only()
    {
        string root = Path.Combine(Path.GetTempPath(), "scratch-folder-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            int exitedId;
            using (var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
            {
                exited.WaitForExit();
                exitedId = exited.Id;
            }
            string ofExited = Directory.CreateDirectory(Path.Combine(root, $"{exitedId}-{Guid.NewGuid():N}")).FullName;
            File.WriteAllText(Path.Combine(ofExited, "network.onnx"), "left behind");
            string ofThisProcess = Directory.CreateDirectory(Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
            string notOurs = Directory.CreateDirectory(Path.Combine(root, "someone-else")).FullName;

            string created = TrainerScratchFolder.Create(root);

            Assert.False(Directory.Exists(ofExited));
            Assert.True(Directory.Exists(ofThisProcess));
            Assert.True(Directory.Exists(notOurs));
            Assert.True(Directory.Exists(created));
            Assert.StartsWith($"{Environment.ProcessId}-", Path.GetFileName(created));
            Assert.NotEqual(ofThisProcess, created);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
