/// The `needs` graph of a workflow: activity i needs the activities `needs[i]` (indices).
enum DependencyGraph {
    /// One cycle as activity indices, the first repeated at the end (`[a, b, a]`).
    typealias Cycle = [Int]

    /// Every cycle a depth-first search in file order meets (one per back edge, so at
    /// least one in every group of activities that need each other in a circle).
    static func cycles(needs: [[Int]]) -> [Cycle] {
        enum Mark { case unvisited, onPath, done }
        var marks = [Mark](repeating: .unvisited, count: needs.count)
        var cycles: [Cycle] = []
        // An explicit stack of (activity, next need to look at), so that a long chain of
        // needs cannot overflow the call stack.
        for root in needs.indices where marks[root] == .unvisited {
            var path: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .onPath
            while let (node, next) = path.last {
                guard next < needs[node].count else {
                    marks[node] = .done
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let need = needs[node][next]
                switch marks[need] {
                case .unvisited:
                    marks[need] = .onPath
                    path.append((need, 0))
                case .onPath:
                    let start = path.firstIndex { $0.node == need }!
                    cycles.append(path[start...].map(\.node) + [need])
                case .done:
                    break
                }
            }
        }
        return cycles
    }

    /// The activities in an order where each comes after all its needs, ties going to
    /// the earlier in the file. Only meaningful for a graph without cycles.
    static func order(needs: [[Int]]) -> [Int] {
        var placed = [Bool](repeating: false, count: needs.count)
        var order: [Int] = []
        order.reserveCapacity(needs.count)
        while order.count < needs.count {
            guard let next = needs.indices.first(where: { !placed[$0] && needs[$0].allSatisfy { placed[$0] } }) else {
                break
            }
            placed[next] = true
            order.append(next)
        }
        return order
    }
}
