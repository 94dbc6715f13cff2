using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>Which simulator runs a scenario.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulationModel>))]
public enum SimulationModel
{
    /// <summary>Every datagram on a simulated network, one real <see cref="Engine.Swarming.Swarm"/> per viewer: tens to hundreds of viewers.</summary>
    Packet,

    /// <summary>Transfers as bandwidth-shared flows at piece granularity, the real scheduler per viewer: 10,000 and more.</summary>
    Flow,
}
