import Link from 'next/link';
import { ProductTile } from '@/components/product-tile';
import { PRODUCTS, formatPrice } from '@/lib/products';

export default function ProductListPage() {
  return (
    <>
      <h1>Products</h1>
      <p className="muted">
        Buy something, then open the <Link href="/inspector">event inspector</Link> to follow each
        event from the browser pixel and the beacon to every platform&apos;s Conversion API.
      </p>
      <div className="grid">
        {PRODUCTS.map((product) => (
          <Link
            key={product.id}
            href={`/products/${product.id}`}
            className="card"
            style={{ textDecoration: 'none', color: 'inherit' }}
            data-testid="product-link"
          >
            <ProductTile product={product} />
            <h2 style={{ fontSize: 18 }}>{product.name}</h2>
            <div className="price">{formatPrice(product.price)}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
