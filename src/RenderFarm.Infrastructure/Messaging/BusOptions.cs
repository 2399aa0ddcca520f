using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Messaging;

/// <summary>Section <c>Bus</c>: RabbitMQ on a farm, MassTransit's in-memory transport in the embedded mode.</summary>
public sealed class BusOptions : IValidatableObject
{
    public const string SectionName = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.RabbitMq;

    /// <summary>RabbitMQ as an AMQP URI, e.g. <c>amqp://renderfarm:secret@rabbitmq:5672/</c>.</summary>
    public string RabbitMqUri { get; set; } = "";

    /// <summary>
    /// The longest the farm waits for the broker to take a message it sends (see <see cref="BrokerSends"/>). Sends take
    /// milliseconds; one that waits longer has lost its connection, and is retried like any broker fault.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The port the bus connects to: the URI's own, or AMQP's 5672.</summary>
    public static int RabbitMqPort(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsDefaultPort ? 5672 : uri.Port;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Transport == BusTransport.RabbitMq &&
            (!Uri.TryCreate(RabbitMqUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps")))
        {
            yield return new ValidationResult("Bus:RabbitMqUri must be an amqp:// or amqps:// URI.", [nameof(RabbitMqUri)]);
        }
    }
}
