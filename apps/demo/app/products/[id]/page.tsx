import Link from 'next/link';
import { ProductTile } from '@/components/product-tile';
import { notFound } from 'next/navigation';
import { ProductActions } from '@/components/product-actions';
import { findProduct, formatPrice } from '@/lib/products';

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const product = findProduct((await params).id);
  if (!product) notFound();
  return (
    <div className="card">
      <p>
        <Link href="/">← All products</Link>
      </p>
      <ProductTile product={product} />
      <h1>{product.name}</h1>
      <p>{product.description}</p>
      <p className="price">{formatPrice(product.price)}</p>
      <ProductActions product={product} />
    </div>
  );
}
