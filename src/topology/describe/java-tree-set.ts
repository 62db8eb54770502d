type Color = 'red' | 'black';

interface TreeNode<T> {
  readonly item: T;
  left: TreeNode<T> | null;
  right: TreeNode<T> | null;
  parent: TreeNode<T> | null;
  color: Color;
}

/**
 * An insertion-only red-black tree that behaves like `java.util.TreeSet`. Kafka Streams orders a node's
 * successors and predecessors in TreeSets whose comparator reads sub-tree sizes that keep changing while the
 * description is built, so the printed order depends on the shape of the tree at each insertion. Reproducing the
 * tree is the only way to print the same order.
 */
export class JavaTreeSet<T> {
  private root: TreeNode<T> | null = null;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  add(item: T): void {
    let parent: TreeNode<T> | null = null;
    let goesLeft = false;
    for (let current = this.root; current !== null; ) {
      const order = this.compare(item, current.item);
      if (order === 0) return;
      parent = current;
      goesLeft = order < 0;
      current = goesLeft ? current.left : current.right;
    }
    const node: TreeNode<T> = { item, left: null, right: null, parent, color: 'red' };
    if (parent === null) this.root = node;
    else if (goesLeft) parent.left = node;
    else parent.right = node;
    this.rebalanceAfterInsert(node);
  }

  /** In-order traversal: the iteration order of the Java set. */
  toArray(): T[] {
    const items: T[] = [];
    const visit = (node: TreeNode<T> | null): void => {
      if (node === null) return;
      visit(node.left);
      items.push(node.item);
      visit(node.right);
    };
    visit(this.root);
    return items;
  }

  private rebalanceAfterInsert(inserted: TreeNode<T>): void {
    let node = inserted;
    while (node !== this.root && node.parent?.color === 'red') {
      const parent = node.parent;
      const grandparent = parent.parent!;
      const parentIsLeft = parent === grandparent.left;
      const uncle = parentIsLeft ? grandparent.right : grandparent.left;
      if (uncle?.color === 'red') {
        parent.color = 'black';
        uncle.color = 'black';
        grandparent.color = 'red';
        node = grandparent;
        continue;
      }
      if (node === (parentIsLeft ? parent.right : parent.left)) {
        node = parent;
        this.rotate(node, parentIsLeft ? 'left' : 'right');
      }
      node.parent!.color = 'black';
      grandparent.color = 'red';
      this.rotate(grandparent, parentIsLeft ? 'right' : 'left');
    }
    this.root!.color = 'black';
  }

  /** Rotating left lifts the right child into `pivot`'s place; rotating right lifts the left child. */
  private rotate(pivot: TreeNode<T>, direction: 'left' | 'right'): void {
    const lifted = (direction === 'left' ? pivot.right : pivot.left)!;
    const movedSubtree = direction === 'left' ? lifted.left : lifted.right;
    if (direction === 'left') pivot.right = movedSubtree;
    else pivot.left = movedSubtree;
    if (movedSubtree !== null) movedSubtree.parent = pivot;
    lifted.parent = pivot.parent;
    if (pivot.parent === null) this.root = lifted;
    else if (pivot === pivot.parent.left) pivot.parent.left = lifted;
    else pivot.parent.right = lifted;
    if (direction === 'left') lifted.left = pivot;
    else lifted.right = pivot;
    pivot.parent = lifted;
  }
}
