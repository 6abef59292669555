using MLPipelines.Architectures;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>Training through the executor: gradients flow, frozen parameters stay put, BatchNorm and Dropout follow train()/eval().</summary>
public class OnnxModuleTrainingTests
{
    private const int Size = 32;

    private static OnnxModule SmallConvNet(bool batchNorm = true, double dropout = 0) => OnnxModule.FromModel(ArchitectureRegistry.Build("convnet",
        new ConvNetOptions { HiddenSizes = [16, 32, 32], BatchNorm = batchNorm, Dropout = dropout, Classes = 2, InputSize = Size, Seed = 3 }));

    [Fact]
    public void A_few_dozen_steps_on_real_images_lower_the_loss_clearly()
    {
        TorchSharpRuntime.EnsureInitialized();
        torch.manual_seed(1);
        var (files, labels) = OnnxBridgeData.PacsCartoon(["guitar", "house"], 16);
        using var module = SmallConvNet();
        using var x = OnnxBridgeData.Batch(OnnxBridgeData.Normalized(files, Size), files.Count, Size);
        using var y = torch.tensor(labels);
        using var optimizer = torch.optim.Adam(module.parameters(), 1e-3);
        module.train();
        var losses = new List<double>();
        for (int step = 0; step < 40; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(module.forward(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]:0.000} → {losses[^1]:0.000}");
    }

    [Fact]
    public void Frozen_parameters_stay_bit_identical_while_the_head_learns()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var backbone = SmallConvNet();
        using var module = backbone.CutAt("features").WithClassificationHead(3, seed: 5);
        module.FreezeAllButLastBlocks(0);
        var frozen = module.BackboneParameters();
        var head = module.HeadParameters();
        Assert.Equal(2, head.Count);
        Assert.All(frozen, p => Assert.False(p.requires_grad));
        Assert.All(head, p => Assert.True(p.requires_grad));
        var before = frozen.Concat(head).Select(p => p.data<float>().ToArray()).ToList();
        var buffersBefore = module.buffers().Select(b => b.data<float>().ToArray()).ToList();

        module.train();
        using var optimizer = torch.optim.SGD(module.parameters().Where(p => p.requires_grad), 0.1, momentum: 0.9);
        using var x = torch.randn(4, 3, Size, Size, generator: new Generator(7));
        using var y = torch.tensor(new long[] { 0, 1, 2, 0 });
        for (int step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(module.forward(x), y).backward();
            optimizer.step();
        }

        var after = frozen.Concat(head).Select(p => p.data<float>().ToArray()).ToList();
        for (int i = 0; i < frozen.Count; i++)
            Assert.Equal(before[i], after[i]);
        for (int i = frozen.Count; i < after.Count; i++)
            Assert.NotEqual(before[i], after[i]);
        // Default options: BN layers still use batch statistics in train mode, so their running statistics move.
        Assert.Contains(module.buffers().Select(b => b.data<float>().ToArray()).Zip(buffersBefore), p => !p.First.SequenceEqual(p.Second));
    }

    [Fact]
    public void Frozen_batch_norm_can_keep_its_running_statistics_in_train_mode()
    {
        TorchSharpRuntime.EnsureInitialized();
        var model = ArchitectureRegistry.Build("convnet", new ConvNetOptions { HiddenSizes = [8, 8], BatchNorm = true, Classes = 2, InputSize = Size });
        using var module = OnnxModule.FromModel(model, new OnnxModuleOptions { FrozenBatchNormUsesRunningStatistics = true });
        module.Freeze();
        var before = module.buffers().Select(b => b.data<float>().ToArray()).ToList();
        module.train();
        using var x = torch.randn(4, 3, Size, Size, generator: new Generator(3));
        using (torch.no_grad()) module.forward(x).Dispose();
        Assert.Equal(before, module.buffers().Select(b => b.data<float>().ToArray()).ToList());
        // Unfrozen, the same layers update their statistics.
        module.Unfreeze();
        using (torch.no_grad()) module.forward(x).Dispose();
        Assert.NotEqual(before, module.buffers().Select(b => b.data<float>().ToArray()).ToList());
    }

    [Fact]
    public void Batch_norm_can_train_its_scale_and_bias_on_frozen_running_statistics()
    {
        TorchSharpRuntime.EnsureInitialized();
        var model = ArchitectureRegistry.Build("convnet", new ConvNetOptions { HiddenSizes = [8, 8], BatchNorm = true, Classes = 2, InputSize = Size, Seed = 4 });
        using var module = OnnxModule.FromModel(model, new OnnxModuleOptions { BatchNormAlwaysUsesRunningStatistics = true });
        using var x = torch.randn(4, 3, Size, Size, generator: new Generator(3)) * 2 + 0.5;
        using var y = torch.tensor(new long[] { 0, 1, 1, 0 });
        var buffersBefore = module.buffers().Select(b => b.data<float>().ToArray()).ToList();
        var parametersBefore = module.parameters().Select(p => p.data<float>().ToArray()).ToList();
        using (torch.no_grad())
        {
            module.eval();
            using var evalOutput = module.forward(x);
            module.train();
            using var trainOutput = module.forward(x);
            // No dropout in this network: train mode then computes exactly what eval mode does.
            Assert.Equal(evalOutput.data<float>().ToArray(), trainOutput.data<float>().ToArray());
        }

        using var optimizer = torch.optim.SGD(module.parameters(), 0.1);
        for (int step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(module.forward(x), y).backward();
            optimizer.step();
        }

        Assert.Equal(buffersBefore, module.buffers().Select(b => b.data<float>().ToArray()).ToList());
        var parametersAfter = module.parameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.All(parametersBefore.Zip(parametersAfter), p => Assert.NotEqual(p.First, p.Second));
    }

    [Fact]
    public void Batch_norm_running_statistics_update_with_onnx_momentum_in_train_mode_only()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var module = SmallConvNet();
        string firstMean = module.ParameterNames.Count > 0 ? FirstRunningMean(module) : throw new InvalidOperationException();
        var mean = module.Initializer(firstMean);
        using var x = torch.randn(6, 3, Size, Size, generator: new Generator(11)) * 2 + 0.5;
        var initial = mean.data<float>().ToArray();

        module.eval();
        using (torch.no_grad()) module.forward(x).Dispose();
        Assert.Equal(initial, mean.data<float>().ToArray());

        module.train();
        using (torch.no_grad()) module.forward(x).Dispose();
        float[] updated = mean.data<float>().ToArray();
        Assert.NotEqual(initial, updated);
        // ONNX momentum 0.9: running = 0.9·running + 0.1·batch mean. Recompute the batch mean of the first conv's output.
        var firstBn = module.ToModel(new OnnxExportOptions { LogitsName = "logits" }).Graph.Node.First(n => n.OpType == "BatchNormalization");
        using (torch.no_grad())
        {
            module.eval();
            using var convOut = module.Forward(x, firstBn.Input[0]);
            float[] batchMean = convOut.mean([0, 2, 3]).data<float>().ToArray();
            for (int c = 0; c < updated.Length; c++)
                Assert.Equal(0.9 * initial[c] + 0.1 * batchMean[c], updated[c], 4);
        }
    }

    [Fact]
    public void Dropout_is_random_in_train_mode_and_off_in_eval_mode()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var backbone = SmallConvNet(batchNorm: false);
        using var module = backbone.CutAt("features").WithClassificationHead(4, dropout: 0.5, seed: 9);
        using var x = torch.randn(3, 3, Size, Size, generator: new Generator(5));
        using var noGrad = torch.no_grad();

        module.eval();
        using var eval1 = module.forward(x);
        using var eval2 = module.forward(x);
        Assert.Equal(eval1.data<float>().ToArray(), eval2.data<float>().ToArray());
        module.train();
        using var train1 = module.forward(x);
        using var train2 = module.forward(x);
        Assert.NotEqual(train1.data<float>().ToArray(), train2.data<float>().ToArray());
        Assert.NotEqual(eval1.data<float>().ToArray(), train1.data<float>().ToArray());
    }

    [Fact]
    public void Parameters_have_stable_sanitized_names_and_state_dict_round_trips()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var module = OnnxModule.Load(RepositoryPaths.Model("squeezenet1.0-tflite"));
        var names = module.named_parameters().Select(p => p.name).ToList();

        Assert.Equal(module.ParameterNames.Select(n => module.TorchNames[n]), names);
        Assert.Contains("conv1.weight", module.ParameterNames);
        Assert.Equal("conv1_weight", module.TorchNames["conv1.weight"]);
        Assert.All(names, n => Assert.DoesNotContain('.', n));

        using var folder = new TemporaryFolder("state-dict");
        string path = folder.File("weights.dat");
        module.save(path);
        using var other = OnnxModule.Load(RepositoryPaths.Model("squeezenet1.0-tflite"));
        using (torch.no_grad()) other.Initializer("conv1.weight").zero_();
        other.load(path);
        Assert.Equal(module.Initializer("conv1.weight").data<float>().ToArray(), other.Initializer("conv1.weight").data<float>().ToArray());
    }

    [Fact]
    public void MobileNetV2_blocks_are_its_inverted_residual_stages_and_freezing_counts_them()
    {
        using var module = OnnxModule.Load(RepositoryPaths.Model("mobilenetv2-1.0-bn-features"));
        var blocks = module.Blocks;

        // Stem + bottlenecks 0-1 (no residual), then one block per bottleneck 2-15, then the last bottleneck with conv 1280 and pooling.
        Assert.Equal(16, blocks.Count);
        Assert.Equal("mobilenetv20_features_linearbottleneck1_batchnorm2_fwd", blocks[0]);
        Assert.Equal("mobilenetv20_features_linearbottleneck2_batchnorm2_fwd_add", blocks[1]);
        Assert.Equal("features", blocks[^1]);
        var counts = module.BlockParameterCounts();
        Assert.Equal(module.parameters().Sum(p => p.numel()), counts.Sum());

        module.FreezeAllButLastBlocks(2);
        long trainable = module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        Assert.Equal(counts[^1] + counts[^2], trainable);
        module.FreezeAllButLastBlocks(blocks.Count);
        Assert.All(module.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Cutting_at_an_inner_tensor_drops_the_nodes_and_parameters_after_it()
    {
        using var module = OnnxModule.Load(RepositoryPaths.Model("mobilenetv2-7-classifier"));
        using var cut = module.CutAt("features");
        Assert.Equal("features", cut.OutputName);
        Assert.Equal(module.ParameterNames.Count - 2, cut.ParameterNames.Count);
        using var x = torch.randn(1, 3, 224, 224, generator: new Generator(2));
        using var noGrad = torch.no_grad();
        module.eval();
        cut.eval();
        Assert.Equal(module.Forward(x, "features").data<float>().ToArray(), cut.forward(x).data<float>().ToArray());
        var error = Assert.Throws<OnnxFormatException>(() => module.CutAt("no_such_tensor"));
        Assert.Contains("no tensor named 'no_such_tensor'", error.Message);
    }

    private static string FirstRunningMean(OnnxModule module)
    {
        var graph = module.ToModel(new OnnxExportOptions { LogitsName = "logits" }).Graph;
        return graph.Node.First(n => n.OpType == "BatchNormalization").Input[3];
    }
}
