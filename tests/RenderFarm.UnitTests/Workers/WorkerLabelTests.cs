using System.ComponentModel.DataAnnotations;
using RenderFarm.Worker;
using RenderFarm.Worker.Heartbeats;

namespace RenderFarm.UnitTests.Workers;

public sealed class WorkerLabelTests
{
    [Theory]
    [InlineData("cuda:1", null, "cuda")]
    [InlineData("CPU", 1024L, "cpu")]
    [InlineData("test-pattern", null, "test-pattern")]
    public void The_device_class_is_the_device_without_its_index(string device, long? configured, string deviceClass)
    {
        var description = DeviceDescription.Of(device, configured);

        Assert.Equal(deviceClass, description.DeviceClass);
        if (configured is not null)
        {
            Assert.Equal(configured, description.MemoryBytes);
        }
    }

    [Fact]
    public void A_cpu_worker_reports_the_memory_it_may_use()
    {
        Assert.True(DeviceDescription.Of("cpu", null).MemoryBytes > 0);
    }

    [Theory]
    [InlineData("studio-a", true)]
    [InlineData("h100", true)]
    [InlineData("zone:eu-1", true)]
    [InlineData("Studio A", false)]
    [InlineData("memory>=24g", false)]
    public void Operator_labels_are_checked_when_the_worker_starts(string label, bool valid)
    {
        var options = new WorkerOptions { Labels = [label] };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(valid ? [] : ["Labels"], results.SelectMany(r => r.MemberNames));
    }
}
