export function BrandMark({ className = "size-8" }: { className?: string }) {
  return (
    <span
      className={`${className} inline-flex items-center justify-center rounded-lg bg-gradient-to-br from-brand-500 to-brand-700 text-white shadow-sm shadow-brand-600/30`}
      aria-hidden="true"
    >
      <svg
        viewBox="0 0 24 24"
        className="size-[60%]"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        aria-hidden="true"
      >
        <path d="M4 7h6a4 4 0 0 1 4 4v2a4 4 0 0 0 4 4h2" strokeLinecap="round" />
        <circle cx="4" cy="7" r="1.6" fill="currentColor" stroke="none" />
        <circle cx="20" cy="17" r="1.6" fill="currentColor" stroke="none" />
      </svg>
    </span>
  );
}
