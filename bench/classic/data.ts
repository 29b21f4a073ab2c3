/**
 * Generated, deterministic data for the four classic federation subgraphs (accounts,
 * products, reviews, inventory), and the answer the benchmark query must get, computed from
 * the data alone — no gateway involved — so that every gateway is checked against the same
 * independent expectation.
 */

export interface User {
  id: string;
  name: string;
  username: string;
}
export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}
export interface Stock {
  upc: string;
  inStock: boolean;
}

export interface ClassicData {
  users: User[];
  products: Product[];
  reviews: Review[];
  stock: Stock[];
  /** How many products `topProducts` returns by default. */
  topProducts: number;
}

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou'];
const GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Jun', 'Yan', 'Tao', 'Ming', 'Hui', 'Qiang'];
const WORDS = ['solid', 'cheap', 'arrived', 'late', 'works', 'as', 'described', 'would', 'buy', 'again', 'broken', 'box', 'great', 'value', 'fast', 'delivery'];

/** A small linear congruential generator: the same seed gives the same data everywhere. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

export function generateData(options: { users?: number; products?: number; reviewsPerUser?: number; topProducts?: number; seed?: number } = {}): ClassicData {
  const { users: userCount = 10, products: productCount = 10, reviewsPerUser = 3, topProducts = 5, seed = 2026 } = options;
  const random = rng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const users: User[] = Array.from({ length: userCount }, (_, i) => {
    const name = `${pick(SURNAMES)} ${pick(GIVEN)}`;
    return { id: String(i + 1), name, username: `${name.toLowerCase().replace(' ', '.')}${i + 1}` };
  });
  const products: Product[] = Array.from({ length: productCount }, (_, i) => ({
    upc: String(i + 1),
    name: `Product ${i + 1} ${pick(WORDS)}`,
    price: 100 + Math.floor(random() * 1900),
    weight: 1 + Math.floor(random() * 99),
  }));
  const reviews: Review[] = [];
  for (const user of users) {
    for (let k = 0; k < reviewsPerUser; k++) {
      const id = String(reviews.length + 1);
      const body = Array.from({ length: 6 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ');
      // Every product gets reviews: spread them round-robin with a random offset.
      const productUpc = products[(reviews.length + Math.floor(random() * 2)) % products.length].upc;
      reviews.push({ id, body, authorId: user.id, productUpc });
    }
  }
  const stock: Stock[] = products.map((p, i) => ({ upc: p.upc, inStock: i % 3 !== 0 }));
  return { users, products, reviews, stock, topProducts };
}

/** The inventory subgraph's @requires(fields: "price weight") rule. */
export function shippingEstimate(product: { price: number; weight: number }): number {
  return product.price > 1000 ? 0 : Math.round(product.weight * 0.5);
}

/** The standard workload's query (the classic federation benchmark query). */
export const STANDARD_QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

/** What STANDARD_QUERY must return over `data`, built from the data directly. */
export function expectedStandardResult(data: ClassicData): unknown {
  const productByUpc = new Map(data.products.map((p) => [p.upc, p]));
  const userById = new Map(data.users.map((u) => [u.id, u]));
  const stockByUpc = new Map(data.stock.map((s) => [s.upc, s]));
  const reviewsByAuthor = (id: string) => data.reviews.filter((r) => r.authorId === id);
  const reviewsOfProduct = (upc: string) => data.reviews.filter((r) => r.productUpc === upc);
  const user = (u: User) => ({ id: u.id, username: u.username, name: u.name });
  const review = (r: Review) => ({ id: r.id, body: r.body });
  const product = (p: Product) => ({
    inStock: stockByUpc.get(p.upc)!.inStock,
    name: p.name,
    price: p.price,
    shippingEstimate: shippingEstimate(p),
    upc: p.upc,
    weight: p.weight,
  });
  const authorWithReviews = (u: User) => ({
    ...user(u),
    reviews: reviewsByAuthor(u.id).map((r) => ({ ...review(r), product: product(productByUpc.get(r.productUpc)!) })),
  });
  const productWithReviews = (p: Product) => ({
    ...product(p),
    reviews: reviewsOfProduct(p.upc).map((r) => ({ ...review(r), author: authorWithReviews(userById.get(r.authorId)!) })),
  });
  return {
    data: {
      users: data.users.map((u) => ({
        ...user(u),
        reviews: reviewsByAuthor(u.id).map((r) => ({ ...review(r), product: productWithReviews(productByUpc.get(r.productUpc)!) })),
      })),
      topProducts: data.products.slice(0, data.topProducts).map(productWithReviews),
    },
  };
}

/** The overhead workload's small query: one root field of one subgraph, sent as is to it or through a gateway. */
export const SMALL_QUERY = 'query Small { user(id: "7") { id name username } }';

export function expectedSmallResult(data: ClassicData): unknown {
  const u = data.users.find((x) => x.id === '7')!;
  return { data: { user: { id: u.id, name: u.name, username: u.username } } };
}

/** JSON with object keys sorted: equal for equal values whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
