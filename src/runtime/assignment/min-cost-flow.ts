/**
 * A minimum-cost flow network with integer capacities and non-negative integer costs, solved by successive shortest
 * paths (a Bellman-Ford queue finds each cheapest augmenting path). The assignor's networks have a few hundred
 * nodes, so this simple form is fast enough, and it is deterministic: nodes and edges are visited in the order they
 * were added, so the same network always gives the same flow.
 */
export class FlowNetwork {
  /** Edge `e` and its residual twin `e ^ 1` are stored side by side. */
  private readonly target: number[] = [];
  private readonly capacity: number[] = [];
  private readonly cost: number[] = [];
  private readonly outgoing: number[][];

  constructor(readonly nodeCount: number) {
    this.outgoing = Array.from({ length: nodeCount }, () => []);
  }

  /** Adds `from → to` and returns its id, for reading its flow after `solve`. */
  addEdge(from: number, to: number, capacity: number, cost: number): number {
    if (cost < 0) throw new Error('FlowNetwork costs must be non-negative');
    const id = this.target.length;
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    return id;
  }

  /** The flow `solve` sent along an edge returned by `addEdge`. */
  flowOn(edge: number): number {
    return this.capacity[edge ^ 1]!;
  }

  /** Sends as much flow as fits from `source` to `sink`, at the least total cost among flows of that size. */
  solve(source: number, sink: number): { flow: number; cost: number } {
    let flow = 0;
    let cost = 0;
    for (;;) {
      const via = this.cheapestPath(source, sink);
      if (via === undefined) return { flow, cost };
      let amount = Infinity;
      for (let node = sink; node !== source; node = this.target[via[node]! ^ 1]!) amount = Math.min(amount, this.capacity[via[node]!]!);
      for (let node = sink; node !== source; node = this.target[via[node]! ^ 1]!) {
        const edge = via[node]!;
        this.capacity[edge]! -= amount;
        this.capacity[edge ^ 1]! += amount;
        cost += amount * this.cost[edge]!;
      }
      flow += amount;
    }
  }

  /** The edge entering each node on a cheapest residual path from `source`, or undefined when `sink` is cut off. */
  private cheapestPath(source: number, sink: number): number[] | undefined {
    const distance = new Array<number>(this.nodeCount).fill(Infinity);
    const via = new Array<number>(this.nodeCount).fill(-1);
    const queued = new Array<boolean>(this.nodeCount).fill(false);
    const queue = [source];
    distance[source] = 0;
    queued[source] = true;
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      queued[node] = false;
      for (const edge of this.outgoing[node]!) {
        const next = this.target[edge]!;
        const through = distance[node]! + this.cost[edge]!;
        if (this.capacity[edge]! <= 0 || through >= distance[next]!) continue;
        distance[next] = through;
        via[next] = edge;
        if (!queued[next]) {
          queued[next] = true;
          queue.push(next);
        }
      }
    }
    return distance[sink] === Infinity ? undefined : via;
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    this.outgoing[from]!.push(this.target.length);
    this.target.push(to);
    this.capacity.push(capacity);
    this.cost.push(cost);
  }
}
