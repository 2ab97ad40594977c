/**
 * Saves a Blob as a file through a temporary link; does nothing outside a browser (internal).
 * @param blob - The file's content.
 * @param fileName - The name the browser suggests.
 */
export function saveFile(blob: Blob, fileName: string): void {
  if (typeof document === 'undefined') return;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
