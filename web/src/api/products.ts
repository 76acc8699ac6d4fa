import { http } from './request'
import type { Page, PageQuery } from './request'

export type ProductStatus = 'active' | 'inactive'
export const PRODUCT_STATUSES: ProductStatus[] = ['active', 'inactive']

/** 商品; `price` in fen. */
export interface Product {
  id: number
  sku: string
  barcode: string | null
  name: string
  category_id: number | null
  price: number
  status: ProductStatus
  version: number
}

export interface ProductQuery extends PageQuery {
  q?: string
  category_id?: number | ''
  status?: ProductStatus | ''
}

export interface ProductInput {
  sku?: string
  barcode?: string | null
  name?: string
  category_id?: number | null
  price?: number
  status?: ProductStatus
}

export interface ProductCategory {
  id: number
  name: string
  parent_id: number | null
  points_multiplier_pct: number
  version: number
}

export interface CategoryInput {
  name?: string
  parent_id?: number | null
  points_multiplier_pct?: number
}

export interface ImportResult {
  created: number
  updated: number
  dry_run: boolean
}

/** Search products (SKU, barcode, name). */
export function getProductList(query: ProductQuery = {}) {
  return http.get<Page<Product>>('/products', { ...query })
}

/** One product by SKU or barcode (the scanner); 404 when unknown. */
export function lookupProduct(code: string) {
  return http.get<Product>('/products/lookup', { code })
}

export function createProduct(data: ProductInput) {
  return http.post<Product>('/products', data)
}

/** Update with `version`; stale → 409. */
export function updateProduct(id: number, data: ProductInput & { version: number }) {
  return http.put<Product>(`/products/${id}`, data)
}

/**
 * CSV import (columns sku,name,price_yuan|price,barcode,category,status); all rows or none.
 * Row errors come back as field errors `rows[N].column` (N = line of the file).
 */
export function importProducts(csv: string, dryRun: boolean) {
  return http.post<ImportResult>('/products/import', undefined, {
    query: dryRun ? { dry_run: 1 } : undefined,
    raw: { data: csv, type: 'text/csv' },
  })
}

/** The whole category tree, flat with `parent_id`. */
export function getCategories() {
  return http.get<{ items: ProductCategory[] }>('/product-categories')
}

export function createCategory(data: CategoryInput) {
  return http.post<ProductCategory>('/product-categories', data)
}

export function updateCategory(id: number, data: CategoryInput & { version: number }) {
  return http.put<ProductCategory>(`/product-categories/${id}`, data)
}
