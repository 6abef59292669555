using MLPipelines.Imaging;
using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Torch.Training;

/// <summary><see cref="DecodedImageSet.FromImages"/>: images decoded elsewhere (CIFAR-10 from its archive) enter the trainer without files.</summary>
public class InMemoryImageSetTests
{
    private static ImageTensor Filled(int size, float value)
    {
        var image = new ImageTensor(size, size);
        Array.Fill(image.Data, value);
        return image;
    }

    [Fact]
    public void In_memory_images_keep_their_order_labels_and_names_and_feed_subsets_and_statistics()
    {
        var set = DecodedImageSet.FromImages([Filled(4, 0.2f), Filled(4, 0.6f), Filled(4, 1f)], [2, 0, 1], ["a/0", "a/1", "a/2"], 4);
        Assert.Equal(3, set.Count);
        Assert.Equal([2, 0, 1], set.Labels);
        Assert.Equal("a/1", set.Paths[1]);
        Assert.Equal(0.6f, set.Images[1].Data[5]);
        var subset = set.Subset([2, 0]);
        Assert.Equal([1, 2], subset.Labels);
        Assert.Equal(["a/2", "a/0"], subset.Paths);
        var (mean, std) = set.ChannelStatistics();
        Assert.Equal(0.6f, mean[0], 5);
        Assert.Equal(Math.Sqrt((0.16 + 0 + 0.16) / 3), std[2], 5);
    }

    [Fact]
    public void Images_of_another_size_or_mismatched_lists_are_refused_with_the_culprit_named()
    {
        var wrongSize = Assert.Throws<ArgumentException>(() => DecodedImageSet.FromImages([Filled(4, 0), Filled(5, 0)], [0, 1], ["x/0", "x/1"], 4));
        Assert.Contains("image 1 'x/1' is 5×5, not 4×4", wrongSize.Message);
        var counts = Assert.Throws<ArgumentException>(() => DecodedImageSet.FromImages([Filled(4, 0)], [0, 1], ["x/0"], 4));
        Assert.Contains("1 images but 2 labels and 1 names", counts.Message);
    }
}
