import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-accent-600">404</p>
        <h1 className="mt-1 text-xl font-semibold tracking-tight">This page does not exist</h1>
        <Link href="/connectors" className="mt-4 inline-block text-sm font-medium text-accent-700 hover:underline">
          Back to connectors
        </Link>
      </div>
    </main>
  );
}
