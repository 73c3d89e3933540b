// Puts the embed named by this page's ?src= into the page's one iframe.
// (Not a listener: each host page loads its protocol's listener alone.)
document.getElementById("frame").src = new URLSearchParams(location.search).get("src") || "about:blank";
