/** A bare page: the first-load JavaScript every App Router page pays. */
export default function Page() {
  return <p>floor</p>;
}
